import { useParams } from 'react-router';

import { BookReader } from '../../features/reader/components/book-reader';

/** `/read/:loanId`: the book of one of the reader's loans, in the browser; loaded on demand. */
export function ReaderPage() {
  const { loanId = '' } = useParams();
  return <BookReader key={loanId} loanId={loanId} />;
}

export default ReaderPage;
