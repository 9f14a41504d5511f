/** Matching keys and title sort forms (author names have their own rules in author-names.ts). */

const leadingArticles = /^(the|a|an|le|la|les|l'|un|une|el|los|las|der|die|das|il|lo|gli)\s+/i;

/** A key that matches the same name however it is spaced, accented or punctuated. */
export function matchKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** "The Time Machine" → "Time Machine, The"; "L'Étranger" → "Étranger, L'". */
export function titleSort(title: string): string {
  const trimmed = title.trim();
  const article = leadingArticles.exec(trimmed) ?? /^(l')/i.exec(trimmed);
  if (!article) return trimmed;
  const rest = trimmed.slice(article[0].length).trimStart();
  return rest ? `${rest}, ${article[0].trim()}` : trimmed;
}
