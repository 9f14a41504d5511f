/**
 * `npm run warehouse -- <query> [name=value …] [--data-dir <folder>]`: runs the ETL over the local lake of
 * `npm start` (the lake bucket inside `<data-dir>/s3`, default `.shelfwise/`), then prints a named query's result.
 *
 *   npm run warehouse -- ctr-by-model
 *   npm run warehouse -- retention retention_days=14
 *   npm run warehouse -- ab-compare model_a=v1 model_b=v2 attribution_days=3
 *
 * The facts are written to `<data-dir>/warehouse/`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buckets } from '../shared/infrastructure';
import { DuckDbWarehouse, localS3LakeFolder } from './duckdb-runner';
import { etlParameters, isNamedQuery, namedQueries } from './queries';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function usage(): string {
  const names = Object.entries(namedQueries).map(([name, query]) => {
    const params = Object.keys(query.parameters).map((p) => ` ${p}=…`);
    return `  ${name}${params.join('')}\n      ${query.description}`;
  });
  return [
    'Usage: npm run warehouse -- <query> [name=value …] [--data-dir <folder>]',
    '',
    'Queries:',
    ...names,
    '',
    `ETL settings (any query): attribution_days=… (${etlParameters.attribution_days.default})`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [name, ...assignments] = positionals;
  if (values.help || !name) {
    console.log(usage());
    return;
  }
  if (!isNamedQuery(name)) {
    console.error(`Unknown query "${name}".\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const etl: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const assignment of assignments) {
    const [key, ...rest] = assignment.split('=');
    if (!key || rest.length === 0) throw new Error(`Expected name=value, got "${assignment}"`);
    (Object.hasOwn(etlParameters, key) ? etl : query)[key] = rest.join('=');
  }

  const dataDir = path.resolve(values['data-dir'] ?? path.join(repoRoot, '.shelfwise'));
  const lake = localS3LakeFolder(path.join(dataDir, 's3'), buckets.lake.localName);
  if (!existsSync(lake.root)) {
    console.error(`No local lake at ${lake.root}: run \`npm start\` first (or pass --data-dir).`);
    process.exitCode = 2;
    return;
  }
  const warehouse = await DuckDbWarehouse.open({
    lake,
    warehouseDir: path.join(dataDir, 'warehouse'),
    etl,
  });
  try {
    const report = await warehouse.runEtl();
    console.log(`ETL over ${dataDir}: ${JSON.stringify(report.rows)}`);
    const rows = await warehouse.query(name, query);
    console.log(`\n${name}: ${namedQueries[name].description}`);
    if (rows.length === 0) console.log('(no rows)');
    else console.table(rows);
  } finally {
    warehouse.close();
  }
}

main().catch((error: unknown) => {
  console.error(`warehouse: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
