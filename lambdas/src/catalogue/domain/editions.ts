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

/** Whether lengths this far apart can still reach the threshold (the distance is at least their difference). */
function lengthsCanMatch(shorter: number, longer: number): boolean {
  return longer === 0 || 1 - (longer - shorter) / longer >= sameWorkSimilarity;
}

function similar(a: string, b: string): boolean {
  if (a === b) return true;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return true;
  // Cheap bound first: lengths that differ too much cannot reach the threshold.
  if (!lengthsCanMatch(Math.min(a.length, b.length), longer)) return false;
  return 1 - distance(a, b) / longer >= sameWorkSimilarity;
}

/**
 * Returns each book's work key: `<author key>|<title key>` of the work's canonical (shortest) title.
 * Only distinct title keys of one author are compared, shortest first, and a key is compared only with the keys not
 * so much longer that the length bound alone rules them out: a prolific author's hundred copies of one title cost one
 * comparison, not five thousand. The groups are the same as comparing every pair of books.
 */
export function groupEditions(books: readonly EditionCandidate[]): Map<string, string> {
  const unionFind = new UnionFind();
  const titleKeys = new Map<string, string>();
  /** Author key → title key → the first book with that title key. */
  const byAuthor = new Map<string, Map<string, string>>();
  for (const book of books) {
    unionFind.add(book.id);
    const titleKey = workTitleKey(book.title);
    titleKeys.set(book.id, titleKey);
    if (!book.authorKey) continue;
    let titles = byAuthor.get(book.authorKey);
    if (!titles) byAuthor.set(book.authorKey, (titles = new Map()));
    const first = titles.get(titleKey);
    if (first === undefined) titles.set(titleKey, book.id);
    else unionFind.union(first, book.id);
  }
  for (const titles of byAuthor.values()) {
    if (titles.size < 2) continue;
    const keys = [...titles.keys()].sort((a, b) => a.length - b.length);
    for (let i = 0; i < keys.length; i += 1) {
      const a = keys[i] as string;
      for (let j = i + 1; j < keys.length; j += 1) {
        const b = keys[j] as string;
        // Sorted by length: once b is too long for a, every later key is too.
        if (!lengthsCanMatch(a.length, b.length)) break;
        if (similar(a, b)) unionFind.union(titles.get(a) as string, titles.get(b) as string);
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
  // One key string per work, shared by its editions.
  const workKeys = new Map<string, string>();
  return new Map(
    books.map((book) => {
      const root = unionFind.find(book.id);
      let workKey = workKeys.get(root);
      if (workKey === undefined) {
        workKey = `${authorOfRoot.get(root) as string}|${canonical.get(root) as string}`;
        workKeys.set(root, workKey);
      }
      return [book.id, workKey];
    }),
  );
}
