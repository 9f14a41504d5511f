/**
 * The catalogue snapshot as Parquet, written in pure JavaScript by hyparquet-writer (no native binding: the arm64
 * Lambda bundle of the ingest has none of DuckDB's), with the columns of `dimBookColumns` as DuckDB, Athena and the
 * Glue table read them: text as UTF-8 strings, the lists as 3-level LISTs of strings, `pub_year` INT32, `withdrawn`
 * BOOLEAN, the times as TIMESTAMP_MICROS (UTC instants, DuckDB's TIMESTAMP). Snappy-compressed, one row group per
 * 100,000 books.
 */
import { parquetWriteBuffer, type ColumnSource, type SchemaElement } from 'hyparquet-writer';
import { dimBookColumns, type DimBookColumn, type DimBookRow } from '../domain/dim-book';
import type { DimBookParquetEncoder } from '../ports';

/** The Parquet schema elements of one column (a list takes three: the list, its repeated group, the element). */
function schemaOf(column: DimBookColumn): SchemaElement[] {
  const name = column.name;
  switch (column.duckDb) {
    case 'VARCHAR':
      return [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }];
    case 'VARCHAR[]':
      return [
        { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ];
    case 'INTEGER':
      return [{ name, type: 'INT32', repetition_type: 'OPTIONAL' }];
    case 'BOOLEAN':
      return [{ name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' }];
    case 'TIMESTAMP':
      return [{ name, type: 'INT64', converted_type: 'TIMESTAMP_MICROS', repetition_type: 'OPTIONAL' }];
    default:
      throw new Error(`dim_book column ${name} has a type the Parquet encoder does not know: ${column.duckDb}`);
  }
}

/** One column's values as the writer takes them (times as Dates, lists as arrays). */
function valuesOf(column: DimBookColumn, rows: readonly DimBookRow[]): unknown[] {
  return rows.map((row) => {
    const value = row[column.name];
    if (value === null || value === undefined) return null;
    if (column.duckDb === 'TIMESTAMP') return new Date(value as string);
    if (Array.isArray(value)) return [...(value as readonly string[])];
    return value;
  });
}

export class HyparquetDimBookParquet implements DimBookParquetEncoder {
  async encode(rows: readonly DimBookRow[]): Promise<Uint8Array> {
    const columnData = dimBookColumns.map(
      (column) => ({ name: column.name, data: valuesOf(column, rows) }) as ColumnSource,
    );
    const schema: SchemaElement[] = [
      { name: 'root', num_children: dimBookColumns.length },
      ...dimBookColumns.flatMap(schemaOf),
    ];
    const buffer = parquetWriteBuffer({
      columnData,
      schema,
      codec: 'SNAPPY',
      rowGroupSize: 100_000,
      createdBy: 'shelfwise dim_book export (hyparquet-writer)',
    });
    return new Uint8Array(buffer);
  }
}
