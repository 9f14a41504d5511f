import { Link } from 'react-router';

import { paths } from '../../config/paths';
import { useMessages } from '../../lib/i18n';
import { appMessages } from '../messages';

export function NotFoundPage() {
  const text = useMessages(appMessages).notFound;
  return (
    <>
      <title>{text.title}</title>
      <h1>{text.heading}</h1>
      <p>{text.body}</p>
      <p>
        <Link to={paths.catalogue.getHref()}>{text.back}</Link>
      </p>
    </>
  );
}
