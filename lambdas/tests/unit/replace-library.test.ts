import { describe, expect, it } from 'vitest';
import type { BookPage, BookSummary } from '../../src/catalogue/domain/book';
import type { CatalogueRecord } from '../../src/catalogue/domain/catalogue-record';
import type { CatalogueRepository, LibraryUpsertResult } from '../../src/catalogue/ports';
import { replaceLibrary } from '../../src/catalogue/use-cases/replace-library';
import { ValidationError } from '../../src/shared/errors';
import { record } from '../support/records';

/** An in-memory catalogue: enough of the port for the use case's decisions. */
class InMemoryCatalogue implements CatalogueRepository {
  readonly libraries = new Map<string, { records: readonly CatalogueRecord[]; fingerprint: string }>();
  writes = 0;

  listBooks(): Promise<BookPage> {
    throw new Error('not used');
  }
  getBook(): Promise<BookSummary | undefined> {
    throw new Error('not used');
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  libraryFingerprint(library: string): Promise<string | undefined> {
    return Promise.resolve(this.libraries.get(library)?.fingerprint);
  }
  replaceLibrary(
    library: string,
    records: readonly CatalogueRecord[],
    fingerprint: string,
  ): Promise<LibraryUpsertResult> {
    this.writes += 1;
    const before = this.libraries.get(library)?.records.length ?? 0;
    this.libraries.set(library, { records, fingerprint });
    return Promise.resolve({ library, inserted: records.length - before, updated: 0, unchanged: 0, removed: 0 });
  }
}

describe('replaceLibrary', () => {
  it('stores valid records', async () => {
    // Prepare
    const catalogue = new InMemoryCatalogue();

    // Act
    const result = await replaceLibrary(catalogue, 'demo', [record({ sourceId: 'a' }), record({ sourceId: 'b' })]);

    // Assess
    expect(result).toMatchObject({ inserted: 2, skipped: false });
    expect(catalogue.libraries.get('demo')?.records.map((r) => r.sourceId)).toEqual(['a', 'b']);
  });

  it('rejects the whole load, naming every bad record, and writes nothing', async () => {
    // Prepare
    const catalogue = new InMemoryCatalogue();
    const input = [
      record({ sourceId: 'ok' }),
      { ...record({ sourceId: 'x' }), title: '  ' },
      { sourceId: 'y', authors: [] },
    ];

    // Act
    const attempt = replaceLibrary(catalogue, 'demo', input);

    // Assess
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('Library "demo" has 2 invalid record(s)');
    expect((error as ValidationError).issues[0]).toMatch(/^record 1: title: title must not be empty/);
    expect((error as ValidationError).issues[1]).toMatch(/^record 2: .*authors: a book needs at least one author/);
    expect(catalogue.writes).toBe(0);
  });

  it('rejects duplicate source ids', async () => {
    // Act
    const attempt = replaceLibrary(new InMemoryCatalogue(), 'demo', [
      record({ sourceId: 'a' }),
      record({ sourceId: 'a' }),
    ]);

    // Assess
    await expect(attempt).rejects.toMatchObject({ issues: ['record 1: duplicate source id "a"'] });
  });

  it('skips the write when the library has not changed since the last load', async () => {
    // Prepare
    const catalogue = new InMemoryCatalogue();
    const input = [record({ sourceId: 'a' })];
    await replaceLibrary(catalogue, 'demo', input);

    // Act
    const again = await replaceLibrary(catalogue, 'demo', input);
    const changed = await replaceLibrary(catalogue, 'demo', [record({ sourceId: 'a', title: 'New title' })]);

    // Assess
    expect(again).toMatchObject({ skipped: true, unchanged: 1 });
    expect(changed.skipped).toBe(false);
    expect(catalogue.writes).toBe(2);
  });
});
