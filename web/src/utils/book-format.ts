const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "fra" → "French"; unknown codes are shown as they are. */
export function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** 1997 → "1997", -350 → "350 BCE", null → undefined. */
export function formatYear(year: number | null): string | undefined {
  if (year === null) return undefined;
  return year < 0 ? `${-year} BCE` : String(year);
}

/** "A", "A and B", "A, B and C". */
export function formatAuthors(authors: readonly string[]): string {
  if (authors.length === 0) return 'Unknown author';
  if (authors.length === 1) return authors[0] ?? '';
  return `${authors.slice(0, -1).join(', ')} and ${authors.at(-1)}`;
}

/** The first `maxLength` characters of a description, cut at a word boundary and ended with "…". */
export function excerpt(text: string, maxLength = 200): string {
  const normalised = text.replace(/\s+/g, ' ').trim();
  if (normalised.length <= maxLength) return normalised;
  const cut = normalised.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(' ');
  const atWord = lastSpace > maxLength * 0.6 ? cut.slice(0, lastSpace) : cut;
  return `${atWord.replace(/[\s,;:.\-–—]+$/, '')}…`;
}
