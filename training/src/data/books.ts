/** A book as training sees it: an id and the fields that `bookText` embeds. */
export interface CatalogueBook {
  readonly id: string;
  readonly title: string;
  readonly authors: readonly string[];
  /** Most telling first (for goodbooks: genre tags by how many readers used them). */
  readonly subjects: readonly string[];
  readonly description?: string | null;
}

/** Subjects too broad to name a genre; `topTag` skips them. */
const genericSubjects = new Set(['fiction', 'non-fiction', 'nonfiction', 'literature', 'novel', 'novels']);

/** The tag that triplet pretraining groups books by: the first subject that is not generic, else the first one. */
export function topTag(book: CatalogueBook): string | undefined {
  return book.subjects.find((subject) => !genericSubjects.has(subject.toLowerCase())) ?? book.subjects[0];
}

/** Label indices of each book's top tag over a sorted tag list (-1 where a book has none). */
export function topTagLabels(books: readonly CatalogueBook[]): { labels: Int32Array; tags: string[] } {
  const tags = [...new Set(books.map(topTag).filter((tag): tag is string => tag !== undefined))].sort();
  const index = new Map(tags.map((tag, i) => [tag, i]));
  return { labels: Int32Array.from(books, (book) => index.get(topTag(book) ?? '') ?? -1), tags };
}
