/** Book identifiers: ISBNs are validated (checksum, via isbn3) and normalised to ISBN-13; others are kept as given. */
import ISBN from 'isbn3';

export interface CleanIdentifier {
  readonly type: string;
  readonly value: string;
}

export interface CleanIdentifiers {
  readonly identifiers: readonly CleanIdentifier[];
  readonly warnings: readonly string[];
}

export function cleanIdentifiers(raw: Readonly<Record<string, string>>): CleanIdentifiers {
  const identifiers: CleanIdentifier[] = [];
  const warnings: string[] = [];
  for (const [rawType, rawValue] of Object.entries(raw)) {
    const type = rawType.trim().toLowerCase();
    const value = rawValue.trim();
    if (!type || !value) continue;
    if (type === 'isbn' || type === 'isbn13' || type === 'isbn10') {
      const parsed = ISBN.parse(value.replace(/[\s-]/g, ''));
      if (parsed?.isValid && parsed.isbn13) {
        identifiers.push({ type: 'isbn', value: parsed.isbn13 });
      } else {
        warnings.push(`invalid ISBN "${value}" dropped`);
      }
      continue;
    }
    identifiers.push({ type, value });
  }
  const seen = new Set<string>();
  return {
    identifiers: identifiers.filter((identifier) => {
      const key = `${identifier.type}:${identifier.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    warnings,
  };
}
