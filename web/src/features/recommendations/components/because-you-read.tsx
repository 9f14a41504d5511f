import { BookRow, BookRowList } from '../../../components/book-row';
import { ErrorNotice } from '../../../components/query-status';
import { ApiError } from '../../../lib/api-client';
import { useMessages } from '../../../lib/i18n';
import { useSimilarBooks } from '../api/get-similar-books';
import type { SimilarBooks } from '../api/recommendation-schemas';
import { messages } from '../messages';
import { RecommendedBookCard } from './recommended-book-card';

/**
 * "Because you read X": the books similar to `bookId`, the last book the reader opened or borrowed (the app takes it
 * from the reader's history as this browser keeps it, so a paused or deleted history is respected). Nothing is
 * shown without such a book, nor once it has left the catalogue. The app knows at the first render whether there is
 * one, so the row never pushes the page down later; while it loads, placeholders hold its place.
 */
export function BecauseYouRead({ bookId }: { bookId: string | undefined }) {
  if (!bookId) return null;
  return <BecauseYouReadRow key={bookId} bookId={bookId} />;
}

/** The title of `bookId` as the similar books' reasons name it ("like X"); undefined when none does. */
function becauseTitle(similar: SimilarBooks | undefined, bookId: string): string | undefined {
  return similar?.items.find((item) => item.reason.because?.id === bookId)?.reason.because?.title;
}

function BecauseYouReadRow({ bookId }: { bookId: string }) {
  const similar = useSimilarBooks(bookId);
  const text = useMessages(messages).becauseYouRead;
  if (similar.error instanceof ApiError && similar.error.isNotFound) return null;
  const title = becauseTitle(similar.data, bookId);
  return (
    <BookRow
      id="because-you-read"
      heading={similar.isPending ? text.headingLoading : title ? text.heading(title) : text.headingUntitled}
      intro={text.intro}
      loadingLabel={similar.isPending ? text.loading : undefined}
    >
      {similar.isError ? (
        <ErrorNotice title={text.error} error={similar.error} onRetry={() => void similar.refetch()} />
      ) : similar.data && similar.data.items.length > 0 ? (
        <BookRowList rowId="because-you-read">
          {similar.data.items.map((item) => (
            <li key={item.book.id}>
              <RecommendedBookCard item={item} />
            </li>
          ))}
        </BookRowList>
      ) : (
        <p className="muted">{text.empty}</p>
      )}
    </BookRow>
  );
}
