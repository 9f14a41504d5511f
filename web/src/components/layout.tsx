import { useEffect, useRef, type ReactNode } from 'react';
import { Link, NavLink, ScrollRestoration, useLocation } from 'react-router';

import { paths } from '../config/paths';

const text = {
  skipLink: 'Skip to content',
  siteName: 'Shelfwise',
  mainNav: 'Main',
  home: 'For you',
  catalogue: 'Catalogue',
  footer: 'Shelfwise, your public library.',
};

/** Site header, skip link and the one <main>; moves focus to <main> after each navigation for screen readers. */
export function Layout({ children }: { children: ReactNode }) {
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const previousPathname = useRef(pathname);

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
            {text.siteName}
          </Link>
          <nav aria-label={text.mainNav}>
            <ul className="site-nav">
              <li>
                <NavLink to={paths.home.getHref()} end>
                  {text.home}
                </NavLink>
              </li>
              <li>
                <NavLink to={paths.catalogue.getHref()}>{text.catalogue}</NavLink>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container site-main" tabIndex={-1} ref={mainRef}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">{text.footer}</div>
      </footer>
      <ScrollRestoration />
    </>
  );
}
