import { describe, expect, it } from 'vitest';
import type { PreparedLibrary } from '../../src/catalogue/domain/prepare-library';
import type { CatalogueWriter, IngestCounts } from '../../src/catalogue/ports';
import { loadLibrary } from '../../src/catalogue/use-cases/load-library';
import { ValidationError } from '../../src/shared/errors';
import { book } from '../support/records';

/** Records what the use case asks the writer to store. */
class RecordingWriter implements CatalogueWriter {
  readonly calls: { library: string; prepared: PreparedLibrary }[] = [];

  ingestLibrary(library: string, prepared: PreparedLibrary): Promise<IngestCounts> {
    this.calls.push({ library, prepared });
    return Promise.resolve({ added: prepared.books.length, updated: 0, unchanged: 0, withdrawn: 0 });
  }
}

describe('loadLibrary', () => {
  it('merges author spellings and groups editions before writing', async () => {
    // Prepare
    const writer = new RecordingWriter();
    const input = [
      book({ sourceId: 'a', title: "Harry Potter and the Philosopher's Stone", authors: ['J.K. Rowling'] }),
      book({ sourceId: 'b', title: 'The Casual Vacancy', authors: ['J. K. Rowling'] }),
      book({ sourceId: 'c', title: 'Pride and Prejudice', authors: ['Jane Austen'] }),
      book({ sourceId: 'd', title: 'Pride and Prejudice (Penguin Classics)', authors: ['Austen, Jane'] }),
    ];

    // Act
    await loadLibrary(writer, 'demo', input);

    // Assess
    const { books, aliases } = writer.calls[0]!.prepared;
    const records = books.map((prepared) => prepared.record());
    expect(new Set(records.slice(0, 2).map((r) => r.authors[0]!.key))).toEqual(new Set(['jk rowling']));
    expect(aliases.get('jk rowling')).toEqual(['J.K. Rowling', 'J. K. Rowling']);
    expect(records[2]!.workKey).toBe(records[3]!.workKey);
    expect(records[0]!.workKey).not.toBe(records[1]!.workKey);
  });

  it('rejects the whole load, naming every bad record, and writes nothing', async () => {
    // Prepare
    const writer = new RecordingWriter();
    const input = [
      book({ sourceId: 'ok' }),
      { ...book({ sourceId: 'x' }), title: '  ' },
      { sourceId: 'y', authors: [] },
    ];

    // Act
    const error = await loadLibrary(writer, 'demo', input).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('Library "demo" has 2 invalid record(s)');
    expect((error as ValidationError).issues[0]).toMatch(/^record 1: title: title must not be empty/);
    expect((error as ValidationError).issues[1]).toMatch(/^record 2: .*authors/);
    expect(writer.calls).toEqual([]);
  });

  it('rejects duplicate source ids', async () => {
    // Act
    const attempt = loadLibrary(new RecordingWriter(), 'demo', [book({ sourceId: 'a' }), book({ sourceId: 'a' })]);

    // Assess
    await expect(attempt).rejects.toMatchObject({ issues: ['record 1: duplicate source id "a"'] });
  });
});
