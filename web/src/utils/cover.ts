/** What the generated cover placeholder shows until real covers exist. */
export interface CoverPlaceholder {
  /** One or two capital letters from the title. */
  initials: string;
  /** Hue (0–359) derived from the book id, stable across visits. */
  hue: number;
}

/** Articles and short words left out of the initials (English, French, Spanish, German). */
const SMALL_WORDS = new Set(
  'a an the of and in on to for at by or with le la les l de du des el los las der die das'.split(' '),
);

export function coverPlaceholder(book: { id: string; title: string }): CoverPlaceholder {
  return { initials: initialsOf(book.title), hue: hueOf(book.id) };
}

/** "The Lord of the Rings" → "LR"; "Dune" → "D"; a title without letters → "?". */
export function initialsOf(title: string): string {
  const words = title.match(/[\p{L}\p{N}]+/gu) ?? [];
  const significant = words.filter((word) => !SMALL_WORDS.has(word.toLowerCase()));
  const chosen = (significant.length > 0 ? significant : words).slice(0, 2);
  const initials = chosen.map((word) => Array.from(word)[0] ?? '').join('');
  return initials ? initials.toLocaleUpperCase() : '?';
}

/** FNV-1a hash of the id with a final avalanche (so "1", "2", "3" land far apart), folded onto the colour wheel. */
export function hueOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1) {
    hash ^= id.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % 360;
}
