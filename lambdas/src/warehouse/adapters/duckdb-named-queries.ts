/**
 * The named queries run by DuckDB over a lake folder and the facts the local ETL wrote (`npm run pipeline -- etl`
 * or `npm run warehouse`): the same `DuckDbWarehouse` and SQL texts. Each query opens its own in-memory DuckDB, so
 * it sees the facts as they are now (the ETL rebuilds them in another process). Local only: DuckDB's native binding
 * is not in the Lambda bundle.
 */
import path from 'node:path';
import { buckets } from '../../shared/infrastructure';
import { DuckDbWarehouse, localS3LakeFolder, type DuckDbWarehouseOptions } from '../duckdb-runner';
import type { Warehouse, WarehouseRow } from '../ports';
import type { NamedQueryName } from '../queries';

export class DuckDbNamedQueries implements Warehouse {
  constructor(private readonly options: DuckDbWarehouseOptions) {}

  /** Over `npm start`'s data folder: the lake bucket inside `<dataDir>/s3`, the facts in `<dataDir>/warehouse`. */
  static overLocalData(dataDir: string): DuckDbNamedQueries {
    return new DuckDbNamedQueries({
      lake: localS3LakeFolder(path.join(dataDir, 's3'), buckets.lake.localName),
      warehouseDir: path.join(dataDir, 'warehouse'),
    });
  }

  async runNamedQuery(name: NamedQueryName, values: Readonly<Record<string, string>>): Promise<WarehouseRow[]> {
    const warehouse = await DuckDbWarehouse.open(this.options);
    try {
      return await warehouse.query(name, values);
    } finally {
      warehouse.close();
    }
  }
}
