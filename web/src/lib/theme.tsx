import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';

import { readStorage, writeStorage } from './i18n';

/**
 * Light and dark themes. Until the reader picks one, the page follows `prefers-color-scheme`; a pick is remembered
 * in localStorage and set as `<html data-theme>`, which the CSS variables in styles.css follow.
 */

export type Theme = 'light' | 'dark';
export const THEME_STORAGE_KEY = 'shelfwise.theme';

export function storedTheme(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Theme | null {
  const value = readStorage(storage, THEME_STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : null;
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Sets (or, for null, removes) the explicit theme on `<html>`; called before the first render too, to avoid a flash. */
export function applyTheme(theme: Theme | null, root: HTMLElement | undefined = globalThis.document?.documentElement) {
  if (!root) return;
  if (theme) root.dataset.theme = theme;
  else delete root.dataset.theme;
}

interface ThemeState {
  /** The theme the page shows now. */
  theme: Theme;
  toggleTheme: () => void;
}

const ThemeContext = createContext<ThemeState>({ theme: 'light', toggleTheme: () => undefined });

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [chosen, setChosen] = useState<Theme | null>(() => storedTheme());
  const [system, setSystem] = useState<Theme>(systemTheme);

  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const query = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => setSystem(query.matches ? 'dark' : 'light');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  useEffect(() => applyTheme(chosen), [chosen]);

  const theme = chosen ?? system;
  const toggleTheme = useCallback(() => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    writeStorage(THEME_STORAGE_KEY, next);
    setChosen(next);
  }, [theme]);
  const value = useMemo(() => ({ theme, toggleTheme }), [theme, toggleTheme]);
  return <ThemeContext value={value}>{children}</ThemeContext>;
}

export function useTheme(): ThemeState {
  return use(ThemeContext);
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
