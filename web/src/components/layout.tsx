import { useEffect, useId, useRef, useSyncExternalStore, type FormEvent, type ReactNode } from 'react';
import { Link, NavLink, ScrollRestoration, useLocation, useNavigate } from 'react-router';

import { paths } from '../config/paths';
import { LOCALE_NAMES, useLocale, useMessages } from '../lib/i18n';
import { isLibrarian, sessionStore } from '../lib/session';
import { useTheme } from '../lib/theme';
import { Icon } from './icon';
import { sharedMessages } from './messages';

/**
 * Site header (name, main navigation, a search box, the language and theme switches and the app's `tools`, such as
 * the chat button), skip link, the one <main> and the footer. Moves focus to <main> after each navigation for screen
 * readers.
 */
export function Layout({ children, tools }: { children: ReactNode; tools?: ReactNode }) {
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const previousPathname = useRef(pathname);
  const text = useMessages(sharedMessages).layout;
  const librarian = isLibrarian(useSyncExternalStore(sessionStore.subscribe, sessionStore.get));

  useEffect(() => {
    if (previousPathname.current === pathname) return;
    previousPathname.current = pathname;
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {text.skipLink}
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <Link className="site-name" to={paths.home.getHref()}>
            <span className="site-name__mark" aria-hidden="true">
              ❦
            </span>
            {text.siteName}
            <span className="site-name__tagline">{text.tagline}</span>
          </Link>
          <nav aria-label={text.mainNav} className="site-nav-wrapper">
            <ul className="site-nav">
              <li>
                <NavLink to={paths.home.getHref()} end>
                  {text.home}
                </NavLink>
              </li>
              <li>
                <NavLink to={paths.catalogue.getHref()}>{text.catalogue}</NavLink>
              </li>
              <li>
                <NavLink to={paths.search.getHref()}>{text.search}</NavLink>
              </li>
              <li>
                <NavLink to={paths.shelf.getHref()}>{text.shelf}</NavLink>
              </li>
              {librarian && (
                <li>
                  <NavLink to={paths.librarian.getHref()}>{text.librarian}</NavLink>
                </li>
              )}
            </ul>
          </nav>
          <div className="site-tools" role="group" aria-label={text.settings}>
            {tools}
            <LanguageSwitch />
            <ThemeToggle />
          </div>
        </div>
        {pathname !== paths.search.path && <HeaderSearch />}
      </header>
      <main id="main" className="container site-main" tabIndex={-1} ref={mainRef}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          {text.footer} {text.footerLanguages}
        </div>
      </footer>
      <ScrollRestoration />
    </>
  );
}

/** One button that switches to the other language, labelled in that language. */
function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const text = useMessages(sharedMessages).layout;
  const other = locale === 'en' ? 'vi' : 'en';
  return (
    <button
      type="button"
      className="header-button"
      lang={other}
      aria-label={text.switchLanguage}
      onClick={() => setLocale(other)}
    >
      <span className="header-button__short" aria-hidden="true">
        {other.toUpperCase()}
      </span>
      <span className="header-button__long" aria-hidden="true">
        {LOCALE_NAMES[other]}
      </span>
    </button>
  );
}

function ThemeToggle() {
  const { theme, toggleTheme } = useTheme();
  const text = useMessages(sharedMessages).layout;
  return (
    <button
      type="button"
      className="header-button"
      aria-pressed={theme === 'dark'}
      aria-label={text.darkTheme}
      onClick={toggleTheme}
    >
      {theme === 'dark' ? <Icon name="moon" /> : <Icon name="sun" />}
    </button>
  );
}

/** A search box under the header on every page but the search page (which has its own). */
function HeaderSearch() {
  const navigate = useNavigate();
  const id = useId();
  const text = useMessages(sharedMessages).layout;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    void navigate(paths.search.getHref(q ? new URLSearchParams({ q }).toString() : ''));
  };
  return (
    <div className="site-search">
      <form role="search" className="container search-form" onSubmit={onSubmit}>
        <label htmlFor={id} className="visually-hidden">
          {text.searchLabel}
        </label>
        <input id={id} name="q" type="search" placeholder={text.searchPlaceholder} autoComplete="off" />
        <button type="submit" className="button">
          {text.searchButton}
        </button>
      </form>
    </div>
  );
}
