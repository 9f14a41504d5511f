import { describe, expect, it } from 'vitest';
import { authorKey, mergeAuthors, naturalOrder } from '../../src/catalogue/domain/author-names';
import { cleanDescription, maxCommentsInputChars, maxDescriptionChars } from '../../src/catalogue/domain/description';
import { distance } from 'fastest-levenshtein';
import type { CatalogueInput } from '../../src/catalogue/domain/catalogue-record';
import { groupEditions, sameWorkSimilarity, workTitleKey } from '../../src/catalogue/domain/editions';
import { prepareDrafts, type BookDraft } from '../../src/catalogue/domain/prepare-library';
import { book } from '../support/records';
import { cleanIdentifiers } from '../../src/catalogue/domain/identifiers';
import { cleanText, repairMojibake } from '../../src/catalogue/domain/text-repair';

describe('repairMojibake', () => {
  it('repairs UTF-8 read as Windows-1252, French and Vietnamese alike', () => {
    expect(repairMojibake('CafÃ© crÃ¨me')).toBe('Café crème');
    expect(repairMojibake('Itâ€™s')).toBe('It’s');
    expect(repairMojibake('Sá»‘ Ä‘á»\u008f')).toBe('Số đỏ');
  });

  it('leaves correct text alone, including text with Ã in it', () => {
    for (const text of ['Café', 'Số đỏ', 'Truyện Kiều', 'São Paulo', 'ÃÃÃ', 'naïve résumé']) {
      expect(repairMojibake(text)).toBe(text);
    }
  });

  it('cleanText also trims, collapses spaces, drops control characters and normalises to NFC', () => {
    expect(cleanText('  Cafe\u0301 \u0000 au\n\tlait ')).toBe('Café au lait');
  });
});

describe('cleanDescription', () => {
  it('keeps safe formatting and removes scripts, handlers and javascript: links', () => {
    // Act
    const result = cleanDescription(
      '<p onclick="x()">A <i>fine</i> <b>book</b></p><script>alert(1)</script><img src=x onerror=y><a href="javascript:z()">z</a><a href="https://example.org">ok</a>',
    );

    // Assess
    expect(result.html).toBe(
      '<p>A <i>fine</i> <b>book</b></p><a rel="nofollow noopener noreferrer" target="_blank">z</a><a href="https://example.org" rel="nofollow noopener noreferrer" target="_blank">ok</a>',
    );
    expect(result.text).toBe('A fine book\n\nzok');
    expect(result.warnings).toEqual(['unsafe HTML removed from the description']);
  });

  it('turns plain text with blank lines into paragraphs', () => {
    expect(cleanDescription('One <two>.\n\nThree.').html).toBe('<p>One &lt;two&gt;.</p><p>Three.</p>');
  });

  it('cuts a gigantic description, and says so', () => {
    // Act
    const result = cleanDescription(`<p>${'word '.repeat(maxCommentsInputChars / 4)}</p>`);

    // Assess
    expect(result.text?.length).toBeLessThanOrEqual(maxDescriptionChars);
    expect(result.warnings).toEqual([
      expect.stringMatching(/was cut to 1000000 before cleaning/),
      expect.stringMatching(new RegExp(`was cut to ${maxDescriptionChars}$`)),
    ]);
  });

  it('is null for an empty comment', () => {
    expect(cleanDescription('  ')).toEqual({ html: null, text: null, warnings: [] });
  });
});

describe('cleanIdentifiers', () => {
  it('validates ISBNs and normalises them to ISBN-13; keeps others as given', () => {
    expect(cleanIdentifiers({ isbn: '0-14-044793-8', goodreads: ' 656 ', amazon: 'B00' })).toEqual({
      identifiers: [
        { type: 'isbn', value: '9780140447934' },
        { type: 'goodreads', value: '656' },
        { type: 'amazon', value: 'B00' },
      ],
      warnings: [],
    });
  });

  it('drops an ISBN whose checksum fails, with a warning', () => {
    expect(cleanIdentifiers({ isbn: '812971060' })).toEqual({
      identifiers: [],
      warnings: ['invalid ISBN "812971060" dropped'],
    });
  });
});

describe('author names', () => {
  it('give one key to one person however the name is written', () => {
    const key = authorKey('J.K. Rowling');
    expect(['J. K. Rowling', 'JK Rowling', 'j.k. rowling', 'Rowling, J.K.'].map(authorKey)).toEqual([
      key,
      key,
      key,
      key,
    ]);
    expect(authorKey('Tolstoy, Leo')).toBe(authorKey('Leo Tolstoy'));
    expect(authorKey('Nguyễn Du')).toBe('nguyen du');
    expect(authorKey('J.R.R. Tolkien')).not.toBe(authorKey('J.K. Rowling'));
  });

  it('keep suffixes in place', () => {
    expect(naturalOrder('King, Martin Luther, Jr.')).toBe('King, Martin Luther, Jr.');
    expect(naturalOrder('Vonnegut, Jr.')).toBe('Vonnegut, Jr.');
  });

  it('merge into the most used spelling and keep every spelling as an alias', () => {
    // Act
    const merged = mergeAuthors([
      { name: 'J.K. Rowling', sort: 'Rowling, J.K.' },
      { name: 'J. K. Rowling', sort: null },
      { name: 'J.K. Rowling', sort: null },
    ]);

    // Assess
    expect([...merged.values()]).toEqual([
      { key: 'jk rowling', name: 'J.K. Rowling', sort: 'Rowling, J.K.', aliases: ['J.K. Rowling', 'J. K. Rowling'] },
    ]);
  });
});

describe('editions', () => {
  it('key a work by its main title', () => {
    expect(workTitleKey("Harry Potter and the Sorcerer's Stone (Harry Potter, #1)")).toBe(
      'harry potter and the sorcerer s stone',
    );
    expect(workTitleKey('The Hobbit, or There and Back Again')).toBe('hobbit');
    expect(workTitleKey('Pride and Prejudice: Penguin Classics')).toBe('pride and prejudice');
  });

  it('group editions of the same author and nearly the same title, and nothing else', () => {
    // Act
    const works = groupEditions([
      { id: 'a', title: 'Pride and Prejudice', authorKey: 'jane austen' },
      { id: 'b', title: 'Pride & Prejudice', authorKey: 'jane austen' },
      { id: 'c', title: 'Pride and Prejudice (Penguin Classics)', authorKey: 'jane austen' },
      { id: 'd', title: 'Pride and Prejudice and Zombies', authorKey: 'seth grahame smith' },
      { id: 'e', title: 'Persuasion', authorKey: 'jane austen' },
      { id: 'f', title: 'Untitled', authorKey: null },
      { id: 'g', title: 'Untitled', authorKey: null },
    ]);

    // Assess
    expect(works.get('a')).toBe(works.get('c'));
    expect(works.get('a')).toBe('jane austen|pride and prejudice');
    expect(works.get('b')).toBe(works.get('a'));
    expect(new Set([works.get('a'), works.get('d'), works.get('e'), works.get('f'), works.get('g')]).size).toBe(5);
  });
});

/** Every pair of books of one author compared: what groupEditions must give, however it avoids the comparisons. */
function groupEveryPair(books: readonly { id: string; title: string; authorKey: string | null }[]): string[][] {
  const group = new Map(books.map((b) => [b.id, new Set([b.id])]));
  const keys = new Map(books.map((b) => [b.id, workTitleKey(b.title)]));
  for (const a of books) {
    for (const b of books) {
      if (a.id >= b.id || !a.authorKey || a.authorKey !== b.authorKey) continue;
      const [x, y] = [keys.get(a.id) as string, keys.get(b.id) as string];
      const longer = Math.max(x.length, y.length);
      if (x !== y && longer > 0 && 1 - distance(x, y) / longer < sameWorkSimilarity) continue;
      const merged = new Set([...(group.get(a.id) as Set<string>), ...(group.get(b.id) as Set<string>)]);
      for (const id of merged) group.set(id, merged);
    }
  }
  return [...new Set(group.values())].map((ids) => [...ids].sort()).sort();
}

describe('groupEditions on a larger library', () => {
  it('groups exactly as comparing every pair of books', () => {
    // Prepare: few authors and titles that differ by a letter or two, so that many pairs are near the threshold.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const stems = ['the long way home', 'war and peace', 'emma', 'the hobbit', 'a tale of two cities', 'it'];
    const books = Array.from({ length: 400 }, (_, index) => {
      let title = stems[Math.floor(random() * stems.length)] as string;
      for (let edits = Math.floor(random() * 3); edits > 0; edits -= 1) {
        const at = Math.floor(random() * (title.length + 1));
        title = `${title.slice(0, at)}${'xyz'[Math.floor(random() * 3)] as string}${title.slice(at + 1)}`;
      }
      const authorKey = random() < 0.05 ? null : `author ${Math.floor(random() * 4)}`;
      return { id: `b${String(index).padStart(3, '0')}`, title, authorKey };
    });

    // Act
    const works = groupEditions(books);

    // Assess
    const byWork = new Map<string, string[]>();
    for (const b of books)
      byWork.set(works.get(b.id) as string, [...(byWork.get(works.get(b.id) as string) ?? []), b.id]);
    const groups = [...byWork.values()].map((ids) => ids.sort()).sort();
    expect(groups).toEqual(groupEveryPair(books));
    expect(groups.length).toBeLessThan(books.length);
  });
});

describe('prepareDrafts', () => {
  const draft = (input: CatalogueInput, sourceHash: string, made: string[]): BookDraft => ({
    sourceId: input.sourceId,
    title: input.title,
    authors: input.authors,
    sourceHash,
    input: () => {
      made.push(input.sourceId);
      return input;
    },
  });

  it('makes no input while preparing', () => {
    // Prepare
    const made: string[] = [];

    // Act
    const prepared = prepareDrafts([draft(book({ sourceId: 'a' }), 'h-a', made)]);

    // Assess
    expect(made).toEqual([]);
    expect(prepared.books[0]?.record()).toMatchObject({ sourceId: 'a', workKey: 'jane austen|title of a' });
    expect(made).toEqual(['a']);
  });

  it("changes a book's source hash when the rest of the library changes its authors or its work", () => {
    // Prepare
    const a = book({ sourceId: 'a', title: 'Pride and Prejudices', authors: ['J.K. Rowling'] });
    const b = book({ sourceId: 'b', title: 'Other', authors: ['J.K. Rowling'] });
    const hashOfA = (others: CatalogueInput[]) =>
      prepareDrafts([a, ...others].map((input) => draft(input, `h-${input.sourceId}`, []))).books[0]?.sourceHash;

    // Act
    const alone = hashOfA([b]);
    const again = hashOfA([b]);
    const renamed = hashOfA([
      { ...b, authors: [{ name: 'JK Rowling', sort: null }] },
      book({ sourceId: 'c', authors: ['JK Rowling'] }),
    ]);
    const regrouped = hashOfA([b, book({ sourceId: 'd', title: 'Pride and Prejudice', authors: ['J.K. Rowling'] })]);

    // Assess
    expect(again).toBe(alone);
    expect(new Set([alone, renamed, regrouped]).size).toBe(3);
  });
});
