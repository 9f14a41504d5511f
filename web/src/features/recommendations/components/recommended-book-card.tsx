import { CompactBookCard } from '../../../components/compact-book-card';
import { useMessages } from '../../../lib/i18n';
import type { RecommendedBook } from '../api/recommendation-schemas';
import { messages } from '../messages';
import { reasonText } from '../utils/reason';

/** A recommended book: cover, title (the link to its page), authors and why it is recommended. */
export function RecommendedBookCard({ item, onOpen }: { item: RecommendedBook; onOpen?: () => void }) {
  const text = useMessages(messages).reason;
  return <CompactBookCard book={item.book} note={reasonText(item.reason, text)} onOpen={onOpen} />;
}
