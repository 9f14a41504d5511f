import { Link, isRouteErrorResponse, useRouteError } from 'react-router';

import { paths } from '../config/paths';
import { useMessages } from '../lib/i18n';
import { sharedMessages } from './messages';

/** Shown by the router when a page throws while rendering: a way back instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const text = useMessages(sharedMessages).routeError;
  console.error(error);
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : '';
  return (
    <main id="main" className="container site-main">
      <div className="notice notice--error" role="alert">
        <h1 className="notice__title">{text.title}</h1>
        <p>{text.body(detail)}</p>
        <p>
          <Link to={paths.catalogue.getHref()}>{text.back}</Link>
        </p>
      </div>
    </main>
  );
}
