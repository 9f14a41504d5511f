/**
 * From books to the vectors the policy starts from: each book's text (`bookText`) through the `Embedder` port, then
 * the triplet-pretrained projection. Books without metadata (ratings that name a book the catalogue file lacks) get
 * a fixed pseudo-random unit vector derived from their id, so they still have a distinct starting point.
 */
import { bookText } from '@shelfwise/lambdas/shared/embedding/book-text';
import type { Embedder } from '@shelfwise/lambdas/shared/embedding/embedder';
import type { CatalogueBook } from '../data/books';
import { projectAll, type Projection } from '../embeddings/triplet';
import { normaliseRows } from '../util/linalg';
import { createRandom, hashString } from '../util/random';

/** Text vectors of the books, row-major [books, embedder.dimension]. */
export async function embedBooks(
  books: readonly CatalogueBook[],
  embedder: Embedder,
  options: { withSubjects?: boolean } = {},
): Promise<Float64Array> {
  const { withSubjects = true } = options;
  const texts = books.map((book) => bookText(withSubjects ? book : { ...book, subjects: [] }));
  const vectors = await embedder.embed(texts);
  const features = new Float64Array(books.length * embedder.dimension);
  vectors.forEach((vector, i) => features.set(vector, i * embedder.dimension));
  return features;
}

/**
 * Base vectors e_i, row-major [itemIds.length, projection.outputDimension], unit length: the projection of the
 * book's text vector where `features` has a row for it (`featureRow`), else a vector seeded by the id.
 */
export function itemBaseVectors(
  itemIds: readonly string[],
  featureRow: ReadonlyMap<string, number>,
  features: Float64Array,
  projection: Projection,
): Float64Array {
  const d = projection.outputDimension;
  const projected = projectAll(projection, features);
  const base = new Float64Array(itemIds.length * d);
  itemIds.forEach((id, i) => {
    const row = featureRow.get(id);
    if (row !== undefined) {
      base.set(projected.subarray(row * d, (row + 1) * d), i * d);
      return;
    }
    const random = createRandom(hashString(id, 0x5eed));
    for (let c = 0; c < d; c++) base[i * d + c] = random.normal();
  });
  normaliseRows(base, itemIds.length, d);
  return base;
}
