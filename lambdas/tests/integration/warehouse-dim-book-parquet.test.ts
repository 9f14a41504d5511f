/**
 * The dim_book snapshot written by the pure-JS encoder (the one the ingest Lambda uses) and read back by DuckDB (the
 * local warehouse's engine): every column with its type, lists in order, nulls, Vietnamese text, and an empty
 * catalogue.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HyparquetDimBookParquet } from '../../src/warehouse/adapters/hyparquet-dim-book-parquet';
import { dimBookColumns, type DimBookRow } from '../../src/warehouse/domain/dim-book';

const books: DimBookRow[] = [
  {
    book_id: '1',
    work_id: 'w-1',
    library: 'main',
    title: 'Dune',
    authors: ['Frank Herbert'],
    subjects: ['Fiction', 'Science fiction'],
    languages: ['eng'],
    pub_year: 1965,
    withdrawn: false,
    added_at: '2026-02-01T10:00:00.000Z',
    modified_at: '2026-02-15T10:00:00.123Z',
  },
  {
    book_id: '2',
    work_id: null,
    library: 'main',
    title: 'Dế Mèn phiêu lưu ký',
    authors: ['Tô Hoài', 'Someone Else'],
    subjects: [],
    languages: [],
    pub_year: null,
    withdrawn: true,
    added_at: '2026-01-05T00:00:00.000Z',
    modified_at: '2026-02-20T23:59:59.999Z',
  },
];

describe('HyparquetDimBookParquet', () => {
  let dir: string;
  let instance: DuckDBInstance;
  let duckdb: DuckDBConnection;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-dim-book-parquet-'));
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    duckdb = await instance.connect();
  });

  afterAll(async () => {
    duckdb?.closeSync();
    instance?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  async function written(name: string, rows: readonly DimBookRow[]): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, await new HyparquetDimBookParquet().encode(rows));
    return file;
  }

  it('writes a file DuckDB reads with the columns and types of dim_book', async () => {
    // Prepare
    const file = await written('books.parquet', books);

    // Act
    const described = await duckdb.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);

    // Assess
    expect(described.getRowObjectsJS().map((row) => [row.column_name, row.column_type])).toEqual(
      dimBookColumns.map((column) => [column.name, column.duckDb]),
    );
  });

  it('keeps every value: lists in order, nulls, Vietnamese text, times to the millisecond', async () => {
    // Prepare
    const file = await written('values.parquet', books);

    // Act
    const read = await duckdb.runAndReadAll(
      `SELECT * REPLACE (strftime(added_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS added_at,
         strftime(modified_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS modified_at)
       FROM read_parquet('${file}') ORDER BY book_id`,
    );

    // Assess
    expect(read.getRowObjectsJS()).toEqual(books);
  });

  it('writes an empty catalogue as a file with the same columns and no rows', async () => {
    // Prepare
    const file = await written('empty.parquet', []);

    // Act
    const counted = await duckdb.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${file}')`);
    const described = await duckdb.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);

    // Assess
    expect(Number(counted.getRowObjectsJS()[0]!.n)).toBe(0);
    expect(described.getRowObjectsJS().map((row) => row.column_type)).toEqual(
      dimBookColumns.map((column) => column.duckDb),
    );
  });
});
