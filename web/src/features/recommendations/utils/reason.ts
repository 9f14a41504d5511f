import { messages } from '../messages';
import type { RecommendationReason } from '../api/recommendation-schemas';

/** Why a book is on the list, in the reader's words: "Because you read Dune", "Popular in the library"… */
export function reasonText(reason: RecommendationReason, text = messages.en.reason): string {
  const title = reason.because?.title;
  switch (reason.kind) {
    case 'policy':
      return title ? text.becauseYouRead(title) : text.pickedForYou;
    case 'similar':
      return title ? text.like(title) : text.likeABookYouOpened;
    case 'same-series':
      return title ? text.sameSeries(title) : text.likeABookYouOpened;
    case 'same-author':
      return title ? text.sameAuthor(title) : text.likeABookYouOpened;
    case 'popular':
      return text.popular;
  }
}
