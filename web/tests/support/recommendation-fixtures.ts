import type { BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';
import type { ServedBook, ServedList } from '@shelfwise/lambdas/recommendations/use-cases/read-recommendations';

export function book(id: string, title: string, authors = ['A. Writer']): BookSummary {
  return { id, title, authors, year: 2001, languages: ['eng'], subjects: ['fiction'], description: null };
}

export function served(position: number, summary: BookSummary, reason: ServedBook['reason']): ServedBook {
  return { book: summary, position, score: 1 - position / 10, reason };
}

export function servedList(
  recommendationId: string,
  generatedAt: string,
  items: ServedBook[],
  strategy: ServedList['strategy'] = 'popular',
): ServedList {
  return {
    readerId: 'anon-test',
    recommendationId,
    modelVersion: strategy === 'policy' ? 'v7' : 'fallback',
    strategy,
    generatedAt,
    items,
  };
}
