/**
 * Author names: one person, one author, whatever the spelling. `J.K. Rowling`, `J. K. Rowling` and `JK Rowling` share
 * a key; so do `Tolstoy, Leo` and `Leo Tolstoy`. Every spelling seen is kept as an alias of the author.
 */
import { cleanText } from './text-repair';

/** "Tolstoy, Leo" → "Leo Tolstoy"; names without a comma, or with a suffix such as "Jr.", are left as they are. */
export function naturalOrder(name: string): string {
  const parts = name.split(',').map((part) => part.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) return name;
  if (/^(jr|sr|ii|iii|iv|phd|md)\.?$/i.test(parts[1])) return name;
  return `${parts[1]} ${parts[0]}`;
}

/** Accent- and punctuation-folded, lower-case; runs of initials joined ("j k rowling" → "jk rowling"). */
export function authorKey(name: string): string {
  const folded = naturalOrder(cleanText(name))
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  // Consecutive one-letter tokens are initials: "j k rowling" and "jk rowling" are the same key.
  const merged: string[] = [];
  let previousWasInitial = false;
  for (const token of folded.split(' ')) {
    const initial = token.length === 1 && /\p{L}/u.test(token);
    if (initial && previousWasInitial) merged[merged.length - 1] += token;
    else merged.push(token);
    previousWasInitial = initial;
  }
  return merged.join(' ');
}

/** "Jane Austen" → "Austen, Jane"; keeps a given Calibre sort when there is one. */
export function authorSortOf(name: string, given: string | null): string {
  if (given && given.trim()) return cleanText(given);
  const natural = naturalOrder(name).trim();
  const parts = natural.split(/\s+/);
  if (parts.length < 2) return natural;
  const last = parts.pop() as string;
  return `${last}, ${parts.join(' ')}`;
}

export interface AuthorSpelling {
  readonly name: string;
  readonly sort: string | null;
}

export interface MergedAuthor {
  readonly key: string;
  /** The spelling used most often (the first seen on a tie), in natural order. */
  readonly name: string;
  readonly sort: string;
  /** Every distinct spelling seen, including `name`. */
  readonly aliases: readonly string[];
}

/** Groups spellings by key; the display name is the most frequent spelling. */
export function mergeAuthors(spellings: Iterable<AuthorSpelling>): Map<string, MergedAuthor> {
  const byKey = new Map<string, { counts: Map<string, number>; sorts: Map<string, string | null> }>();
  for (const spelling of spellings) {
    const name = naturalOrder(cleanText(spelling.name));
    if (!name) continue;
    const key = authorKey(name);
    const entry = byKey.get(key) ?? { counts: new Map(), sorts: new Map() };
    entry.counts.set(name, (entry.counts.get(name) ?? 0) + 1);
    if (!entry.sorts.has(name)) entry.sorts.set(name, spelling.sort);
    byKey.set(key, entry);
  }
  const merged = new Map<string, MergedAuthor>();
  for (const [key, entry] of byKey) {
    let best = '';
    let bestCount = -1;
    for (const [name, count] of entry.counts) {
      if (count > bestCount) {
        best = name;
        bestCount = count;
      }
    }
    merged.set(key, {
      key,
      name: best,
      sort: authorSortOf(best, entry.sorts.get(best) ?? null),
      aliases: [...entry.counts.keys()],
    });
  }
  return merged;
}
