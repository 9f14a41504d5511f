import { useEffect, useRef, type ReactNode } from 'react';
import { Link, ScrollRestoration, useLocation } from 'react-router';

import { paths } from '../config/paths';

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
        Skip to content
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <Link className="site-name" to={paths.catalogue.getHref()}>
            Shelfwise
          </Link>
          <nav aria-label="Main">
            <ul className="site-nav">
              <li>
                <Link to={paths.catalogue.getHref()}>Catalogue</Link>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container site-main" tabIndex={-1} ref={mainRef}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">Shelfwise, your public library.</div>
      </footer>
      <ScrollRestoration />
    </>
  );
}
