import { Link } from 'react-router';

import { paths } from '../../config/paths';

export function NotFoundPage() {
  return (
    <>
      <title>Page not found · Shelfwise</title>
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to={paths.catalogue.getHref()}>Go to the catalogue</Link>
      </p>
    </>
  );
}
