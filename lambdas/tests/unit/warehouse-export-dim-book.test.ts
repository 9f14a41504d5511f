import { describe, expect, it } from 'vitest';
import type { DimBookRow } from '../../src/warehouse/domain/dim-book';
import type { LakeObjectWriter } from '../../src/warehouse/ports';
import { exportDimBook } from '../../src/warehouse/use-cases/export-dim-book';

const book: DimBookRow = {
  book_id: '7',
  work_id: null,
  library: 'main',
  title: 'Dune',
  authors: ['Frank Herbert'],
  subjects: ['Fiction'],
  languages: ['eng'],
  pub_year: 1965,
  withdrawn: false,
  added_at: '2026-02-01T10:00:00.000Z',
  modified_at: '2026-02-01T10:00:00.000Z',
};

class MemoryLake implements LakeObjectWriter {
  readonly writes: { key: string; body: Uint8Array | string; contentType: string }[] = [];
  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    this.writes.push({ key, body, contentType });
  }
}

describe('exportDimBook', () => {
  it('writes the snapshot, then the current copy, then the pointer to the snapshot', async () => {
    // Prepare
    const lake = new MemoryLake();
    const file = new Uint8Array([80, 65, 82, 49]);
    const encoded: (readonly DimBookRow[])[] = [];

    // Act
    const pointer = await exportDimBook({
      catalogue: { readBooks: async () => [book] },
      parquet: {
        encode: async (rows) => {
          encoded.push(rows);
          return file;
        },
      },
      lake,
      now: () => new Date('2026-03-01T09:05:07.891Z'),
    });

    // Assess
    expect(encoded).toEqual([[book]]);
    const snapshotKey = 'snapshots/dim_book/snapshot=20260301T090507Z/part-0.parquet';
    expect(lake.writes.map((write) => write.key)).toEqual([
      snapshotKey,
      'snapshots/dim_book/current/part-0.parquet',
      'snapshots/dim_book/latest.json',
    ]);
    expect(lake.writes[0]!.body).toBe(file);
    expect(lake.writes[1]!.body).toBe(file);
    expect(pointer).toEqual({
      snapshot: '20260301T090507Z',
      key: snapshotKey,
      exportedAt: '2026-03-01T09:05:07.891Z',
      books: 1,
      bytes: 4,
    });
    expect(JSON.parse(lake.writes[2]!.body as string)).toEqual(pointer);
  });

  it('writes nothing when the catalogue cannot be read', async () => {
    // Prepare
    const lake = new MemoryLake();

    // Act
    const result = exportDimBook({
      catalogue: { readBooks: async () => Promise.reject(new Error('database down')) },
      parquet: { encode: async () => new Uint8Array() },
      lake,
    });

    // Assess
    await expect(result).rejects.toThrow('database down');
    expect(lake.writes).toEqual([]);
  });
});
