import type { Locale } from '../lib/i18n';

const displayNames = new Map<Locale, Intl.DisplayNames>();
const listFormats = new Map<Locale, Intl.ListFormat>();

/** "fra" → "French" (or "Tiếng Pháp"); unknown codes are shown as they are. */
export function languageName(code: string, locale: Locale = 'en'): string {
  let names = displayNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
    displayNames.set(locale, names);
  }
  try {
    const name = names.of(code) ?? code;
    return locale === 'vi' ? capitalise(name) : name;
  } catch {
    return code;
  }
}

/** 1997 → "1997", -350 → "350 BCE" ("350 TCN" in Vietnamese), null → undefined. */
export function formatYear(year: number | null, locale: Locale = 'en'): string | undefined {
  if (year === null) return undefined;
  return year < 0 ? `${-year} ${locale === 'vi' ? 'TCN' : 'BCE'}` : String(year);
}

/** "A", "A and B", "A, B and C" ("A, B và C" in Vietnamese). */
export function formatAuthors(authors: readonly string[], locale: Locale = 'en'): string {
  if (authors.length === 0) return locale === 'vi' ? 'Không rõ tác giả' : 'Unknown author';
  let list = listFormats.get(locale);
  if (!list) {
    // British English lists have no comma before "and".
    list = new Intl.ListFormat(locale === 'en' ? 'en-GB' : locale, { type: 'conjunction' });
    listFormats.set(locale, list);
  }
  return list.format(authors);
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

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
