/**
 * Turns a library's cleaned books into records ready to store: every author spelling merged into one author per
 * person (with the spellings kept as aliases), and editions grouped into works across the whole library.
 *
 * Both steps need every book's title and authors, but nothing else, so a book can come as a draft whose full input
 * is made only when the writer needs it (cleaning descriptions is most of an ingest's work). Each prepared book
 * carries a source hash: the draft's own (the raw record and the cleaning rules) with what the rest of the library
 * decided for it (its merged authors and its work). Equal source hashes mean equal records, so the writer does not
 * even build the record of a book whose stored source hash is the same.
 */
import { hash } from 'node:crypto';
import { authorKey, mergeAuthors, type AuthorSpelling } from './author-names';
import type { AuthorAliases, CatalogueInput, CatalogueRecord, RecordAuthor } from './catalogue-record';
import { groupEditions } from './editions';

/** A book before preparing: what merging and grouping read, and how to make its full input. */
export interface BookDraft {
  readonly sourceId: string;
  /** Cleaned, as in the input. */
  readonly title: string;
  /** Cleaned spellings, as in the input. */
  readonly authors: readonly AuthorSpelling[];
  /** Fingerprint of everything the input is made from; null when there is none (the record's content decides). */
  readonly sourceHash: string | null;
  /** The full input; may be costly, and is asked at most once. */
  input(): CatalogueInput;
}

export interface PreparedBook {
  readonly sourceId: string;
  /** The draft's source hash with the book's merged authors and work; null when the draft had none. */
  readonly sourceHash: string | null;
  /** The record to store; may be costly (it cleans the book), and is asked at most once. */
  record(): CatalogueRecord;
}

export interface PreparedLibrary {
  readonly books: readonly PreparedBook[];
  readonly aliases: AuthorAliases;
}

/** Prepares books whose inputs are already made (the demo catalogue, tests): no source hash, the content decides. */
export function prepareLibrary(inputs: readonly CatalogueInput[]): PreparedLibrary {
  return prepareDrafts(
    inputs.map((input) => ({
      sourceId: input.sourceId,
      title: input.title,
      authors: input.authors,
      sourceHash: null,
      input: () => input,
    })),
  );
}

export function prepareDrafts(drafts: readonly BookDraft[]): PreparedLibrary {
  const keys = new Map<string, string>();
  const keyOf = (name: string) => {
    let key = keys.get(name);
    if (key === undefined) keys.set(name, (key = authorKey(name)));
    return key;
  };
  const authors = mergeAuthors(drafts.flatMap((draft) => draft.authors));
  const works = groupEditions(
    drafts.map((draft) => ({
      id: draft.sourceId,
      title: draft.title,
      authorKey: draft.authors[0] ? keyOf(draft.authors[0].name) : null,
    })),
  );
  // One record author per person, shared by the person's books (records are never changed).
  const recordAuthors = new Map<string, RecordAuthor>(
    [...authors.values()].map((author) => [author.key, { key: author.key, name: author.name, sort: author.sort }]),
  );
  const books = drafts.map((draft) => {
    const bookAuthors: RecordAuthor[] = [];
    for (const spelling of draft.authors) {
      const merged = recordAuthors.get(keyOf(spelling.name));
      if (merged && !bookAuthors.includes(merged)) bookAuthors.push(merged);
    }
    return preparedBook(draft, bookAuthors, works.get(draft.sourceId) as string);
  });
  return { books, aliases: new Map([...authors.values()].map((author) => [author.key, author.aliases])) };
}

/** Apart from prepareDrafts, so that a book's `record` keeps only what it needs (not the library-wide maps). */
function preparedBook(draft: BookDraft, authors: readonly RecordAuthor[], workKey: string): PreparedBook {
  return {
    sourceId: draft.sourceId,
    sourceHash:
      draft.sourceHash === null
        ? null
        : hash('sha256', JSON.stringify([draft.sourceHash, authors, workKey]), 'base64url'),
    record: () => ({ ...draft.input(), authors, workKey }),
  };
}
