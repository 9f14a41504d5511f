import { Link, isRouteErrorResponse, useRouteError } from 'react-router';

import { paths } from '../config/paths';

/** Shown by the router when a page throws while rendering: a way back instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  console.error(error);
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : undefined;
  return (
    <main id="main" className="container site-main">
      <div className="notice notice--error" role="alert">
        <h1 className="notice__title">Something went wrong</h1>
        <p>This page could not be shown{detail ? ` (${detail})` : ''}. Please reload it or go back to the catalogue.</p>
        <p>
          <Link to={paths.catalogue.getHref()}>Back to the catalogue</Link>
        </p>
      </div>
    </main>
  );
}
