/**
 * The catalogue snapshot as Parquet, written by DuckDB (already the warehouse's engine, so the file has exactly the
 * types the facts use): the rows go to a temporary newline-delimited JSON file, DuckDB reads it with the columns of
 * `dimBookColumns` and writes one zstd-compressed Parquet file, whose bytes are returned. Needs a writable temporary
 * folder (`/tmp` in Lambda).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { dimBookColumns, type DimBookRow } from '../domain/dim-book';
import { quote } from '../duckdb-dialect';
import { toNdjson } from '../lake-layout';
import type { DimBookParquetEncoder } from '../ports';

export class DuckDbDimBookParquet implements DimBookParquetEncoder {
  async encode(rows: readonly DimBookRow[]): Promise<Uint8Array> {
    const dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-dim-book-'));
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    try {
      const input = path.join(dir, 'books.json');
      const output = path.join(dir, 'part-0.parquet');
      await writeFile(input, toNdjson(rows));
      const columns = dimBookColumns.map((c) => `${quote(c.name)}: ${quote(c.duckDb)}`).join(', ');
      const names = dimBookColumns.map((c) => c.name).join(', ');
      const read =
        rows.length === 0
          ? `SELECT ${dimBookColumns.map((c) => `CAST(NULL AS ${c.duckDb}) AS ${c.name}`).join(', ')} WHERE false`
          : `SELECT ${names} FROM read_json(${quote(input)}, format = 'newline_delimited', columns = {${columns}})`;
      await connection.run(`COPY (${read}) TO ${quote(output)} (FORMAT parquet, COMPRESSION zstd)`);
      return new Uint8Array(await readFile(output));
    } finally {
      connection.closeSync();
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    }
  }
}
