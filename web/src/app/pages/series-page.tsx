import { useParams } from 'react-router';

import { SeriesBooks } from '../../features/catalogue/components/series-books';

/** `/series/:seriesId`: the books of one series in order; loaded on demand (reached from a book's page). */
export function SeriesPage() {
  const { seriesId = '' } = useParams();
  return <SeriesBooks key={seriesId} seriesId={seriesId} />;
}

export default SeriesPage;
