/**
 * Turns a library's cleaned books into records ready to store: every author spelling merged into one author per
 * person (with the spellings kept as aliases), and editions grouped into works across the whole library.
 */
import { authorKey, mergeAuthors } from './author-names';
import type { AuthorAliases, CatalogueInput, CatalogueRecord } from './catalogue-record';
import { groupEditions } from './editions';

export interface PreparedLibrary {
  readonly records: readonly CatalogueRecord[];
  readonly aliases: AuthorAliases;
}

export function prepareLibrary(inputs: readonly CatalogueInput[]): PreparedLibrary {
  const authors = mergeAuthors(inputs.flatMap((input) => input.authors));
  const works = groupEditions(
    inputs.map((input) => ({
      id: input.sourceId,
      title: input.title,
      authorKey: input.authors[0] ? authorKey(input.authors[0].name) : null,
    })),
  );
  const records = inputs.map((input): CatalogueRecord => {
    const seen = new Set<string>();
    const bookAuthors = input.authors.flatMap((spelling) => {
      const merged = authors.get(authorKey(spelling.name));
      if (!merged || seen.has(merged.key)) return [];
      seen.add(merged.key);
      return [{ key: merged.key, name: merged.name, sort: merged.sort }];
    });
    return { ...input, authors: bookAuthors, workKey: works.get(input.sourceId) as string };
  });
  return { records, aliases: new Map([...authors.values()].map((author) => [author.key, author.aliases])) };
}
