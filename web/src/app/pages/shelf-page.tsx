import { Shelf } from '../../features/shelf/components/shelf';

/** `/shelf`: the reader's recent history and privacy controls; loaded on demand. */
export function ShelfPage() {
  return <Shelf />;
}

export default ShelfPage;
