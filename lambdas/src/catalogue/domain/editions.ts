/**
 * Editions of one work: books by the same (first) author whose titles, stripped of subtitles, series markers and
 * leading articles, are the same or nearly the same (normalised Levenshtein similarity, fastest-levenshtein) are
 * joined with union-find into one work. Grouping is lossless: every edition stays a book of its own, and the work
 * only links them.
 */
import { distance } from 'fastest-levenshtein';
import { matchKey } from './names';

/** Titles at least this similar (1 − distance / longer length) are one work. */
export const sameWorkSimilarity = 0.9;

const articles = /^(the|a|an|le|la|les|l|un|une|el|los|las|der|die|das|il|lo|gli)\s+/;

/** "The Hobbit, or There and Back Again" and "Hobbit: The Illustrated Edition" → "hobbit". */
export function workTitleKey(title: string): string {
  const main =
    title
      .replace(/\s*\([^)]*#\s*[\d.]+[^)]*\)\s*$/, '') // "(Harry Potter, #1)"
      .split(/\s*[:;]\s+|\s+[-–—]\s+|,\s+or\s+|\s+\(/)[0] ?? title;
  return matchKey(main.replace(/&/g, ' and ')).replace(articles, '').trim() || matchKey(title);
}

export interface EditionCandidate {
  readonly id: string;
  readonly title: string;
  /** The first author's key (see authorKey); books with no author never group. */
  readonly authorKey: string | null;
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    while (this.parent.get(root) !== undefined && this.parent.get(root) !== root)
      root = this.parent.get(root) as string;
    let node = id;
    while (node !== root) {
      const next = this.parent.get(node) as string;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootB, rootA);
  }

  add(id: string): void {
    if (!this.parent.has(id)) this.parent.set(id, id);
  }
}

function similar(a: string, b: string): boolean {
  if (a === b) return true;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return true;
  // Cheap bound first: lengths that differ too much cannot reach the threshold.
  if (1 - Math.abs(a.length - b.length) / longer < sameWorkSimilarity) return false;
  return 1 - distance(a, b) / longer >= sameWorkSimilarity;
}

/** Returns each book's work key: `<author key>|<title key>` of the work's canonical (shortest) title. */
export function groupEditions(books: readonly EditionCandidate[]): Map<string, string> {
  const unionFind = new UnionFind();
  const titleKeys = new Map<string, string>();
  const byAuthor = new Map<string, EditionCandidate[]>();
  for (const book of books) {
    unionFind.add(book.id);
    titleKeys.set(book.id, workTitleKey(book.title));
    if (book.authorKey) byAuthor.set(book.authorKey, [...(byAuthor.get(book.authorKey) ?? []), book]);
  }
  for (const group of byAuthor.values()) {
    for (let i = 0; i < group.length; i += 1) {
      for (let j = i + 1; j < group.length; j += 1) {
        const a = group[i] as EditionCandidate;
        const b = group[j] as EditionCandidate;
        if (similar(titleKeys.get(a.id) as string, titleKeys.get(b.id) as string)) unionFind.union(a.id, b.id);
      }
    }
  }
  const canonical = new Map<string, string>();
  for (const book of books) {
    const root = unionFind.find(book.id);
    const key = titleKeys.get(book.id) as string;
    const current = canonical.get(root);
    if (current === undefined || key.length < current.length || (key.length === current.length && key < current)) {
      canonical.set(root, key);
    }
  }
  const authorOfRoot = new Map<string, string>();
  for (const book of books) authorOfRoot.set(unionFind.find(book.id), book.authorKey ?? `book:${book.id}`);
  return new Map(
    books.map((book) => {
      const root = unionFind.find(book.id);
      return [book.id, `${authorOfRoot.get(root) as string}|${canonical.get(root) as string}`];
    }),
  );
}
