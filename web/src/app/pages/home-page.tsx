import { Link } from 'react-router';

import { paths } from '../../config/paths';
import { ForYou } from '../../features/recommendations/components/for-you';

const text = {
  title: 'Shelfwise, your public library',
  heading: 'Welcome to your library',
  browse: 'Browse the whole catalogue',
};

export function HomePage() {
  return (
    <>
      <title>{text.title}</title>
      <h1>{text.heading}</h1>
      <ForYou />
      <p>
        <Link to={paths.catalogue.getHref()}>{text.browse}</Link>
      </p>
    </>
  );
}
