import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * The app's one i18n layer: a typed dictionary per feature (`defineMessages({ en, vi })`, where `vi` must have exactly
 * the shape of `en`, so `tsc` fails on a missing translation), the reader's language in a context, remembered in
 * localStorage and reflected in `<html lang>`. Dates, numbers, lists and language names go through `Intl`.
 */

export const LOCALES = ['en', 'vi'] as const;
export type Locale = (typeof LOCALES)[number];

export const LOCALE_STORAGE_KEY = 'shelfwise.locale';

/** The name of each language in itself, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', vi: 'Tiếng Việt' };

export type Messages<T> = { readonly [L in Locale]: T };

/** A feature's texts in every language; TypeScript checks that each language has every text, with the same shape. */
export function defineMessages<T>(messages: { en: T; vi: NoInfer<T> }): Messages<T> {
  return messages;
}

export function isLocale(value: unknown): value is Locale {
  return LOCALES.some((locale) => locale === value);
}

/** The stored choice, else the browser's first supported language, else English. */
export function initialLocale(
  storage: Pick<Storage, 'getItem'> | undefined = safeLocalStorage(),
  languages: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages,
): Locale {
  const stored = readStorage(storage, LOCALE_STORAGE_KEY);
  if (isLocale(stored)) return stored;
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

export function applyLocaleToDocument(
  locale: Locale,
  root: HTMLElement | undefined = globalThis.document?.documentElement,
) {
  if (root) root.lang = locale;
}

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

// Without a provider (component tests), the app is in English.
const LocaleContext = createContext<LocaleState>({ locale: 'en', setLocale: () => undefined });

/** Holds the reader's language; changing it stores the choice and updates `<html lang>`. */
export function LocaleProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? initialLocale());
  useEffect(() => applyLocaleToDocument(locale), [locale]);
  const setLocale = useCallback((next: Locale) => {
    writeStorage(LOCALE_STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext value={value}>{children}</LocaleContext>;
}

export function useLocale(): LocaleState {
  return use(LocaleContext);
}

/** The texts of `messages` in the reader's language. */
export function useMessages<T>(messages: Messages<T>): T {
  return messages[use(LocaleContext).locale];
}

/** Numbers in the reader's language: 1,234 in English, 1.234 in Vietnamese. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A date in the reader's language: "5 December 2026" / "5 tháng 12, 2026". */
export function formatDate(value: Date | string | number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(value));
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled by the browser
  }
}

export function readStorage(storage: Pick<Storage, 'getItem'> | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string, storage = safeLocalStorage()): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Private mode or full storage: the choice lasts for this visit only.
  }
}
