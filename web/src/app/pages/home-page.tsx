import { Link } from 'react-router';

import { paths } from '../../config/paths';
import { ForYou } from '../../features/recommendations/components/for-you';
import { useMessages } from '../../lib/i18n';
import { appMessages } from '../messages';

export function HomePage() {
  const text = useMessages(appMessages).home;
  return (
    <>
      <title>{text.title}</title>
      <div className="hero">
        <h1>{text.heading}</h1>
        <p className="hero__intro">{text.intro}</p>
        <p className="hero__links">
          <Link to={paths.catalogue.getHref()}>{text.browse}</Link>
        </p>
      </div>
      <ForYou />
    </>
  );
}
