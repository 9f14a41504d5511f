import { ErrorNotice, Loading } from '../../../components/query-status';
import { useSimilarBooks } from '../api/get-similar-books';
import { useMessages } from '../../../lib/i18n';
import { messages } from '../messages';
import { RecommendedBookCard } from './recommended-book-card';

/** "Similar books" on a book's page. */
export function SimilarBooks({ bookId }: { bookId: string }) {
  const similar = useSimilarBooks(bookId);
  const text = useMessages(messages).similar;
  return (
    <section className="section" aria-labelledby="similar-heading">
      <h2 id="similar-heading">{text.heading}</h2>
      {similar.isPending ? (
        <Loading label={text.loading} />
      ) : similar.isError ? (
        <ErrorNotice title={text.error} error={similar.error} onRetry={() => void similar.refetch()} />
      ) : similar.data.items.length === 0 ? (
        <p className="muted">{text.empty}</p>
      ) : (
        <ul className="book-grid" aria-labelledby="similar-heading">
          {similar.data.items.map((item) => (
            <li key={item.book.id}>
              <RecommendedBookCard item={item} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
