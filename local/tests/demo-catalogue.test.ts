import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDemoCatalogue, toCatalogueInput } from '../src/demo/demo-catalogue';

describe('demo catalogue', () => {
  it('holds a few hundred valid books in English, French and Vietnamese', async () => {
    // Act
    const books = await readDemoCatalogue();

    // Assess
    expect(books.length).toBeGreaterThanOrEqual(250);
    const languages = new Set(books.map((book) => book.language));
    expect([...languages]).toEqual(expect.arrayContaining(['eng', 'fra', 'vie']));
    expect(books.filter((book) => book.language === 'vie').length).toBeGreaterThanOrEqual(10);
    expect(books.filter((book) => book.language === 'fra').length).toBeGreaterThanOrEqual(10);
    expect(new Set(books.map((book) => `${book.title}|${book.authors.join()}`)).size).toBe(books.length);
  });

  it('becomes catalogue records keyed by the demo key', async () => {
    // Prepare
    const [book] = await readDemoCatalogue();

    // Act
    const record = toCatalogueInput(book!);

    // Assess
    expect(record).toMatchObject({ sourceId: book!.key, title: book!.title, languages: [book!.language] });
  });

  it('rejects a file with a bad entry, naming the file and the field', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'demo-'));
    const bad = {
      key: 'x',
      title: 'X',
      authors: ['A'],
      year: 1900,
      language: 'en',
      subjects: ['Fiction'],
      audience: 'adult',
      pages: 10,
      description: 'd',
    };
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify([bad]));

    // Act
    const attempt = readDemoCatalogue(dir);

    // Assess
    await expect(attempt).rejects.toThrow(/bad\.json is invalid: 0\.language/);
    await rm(dir, { recursive: true });
  });
});
