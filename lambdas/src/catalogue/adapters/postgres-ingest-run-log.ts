/** Ingest runs in Postgres (`ingest_run`), newest first. */
import type pg from 'pg';
import type { IngestCounts, IngestReport, IngestRun, IngestRunLog, IngestStatus } from '../ports';

interface RunRow {
  id: string;
  library: string;
  source_key: string;
  status: IngestStatus;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  added: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  rejected: number;
  report: IngestReport;
}

const columns = `id::text, library, source_key, status, started_at, finished_at, duration_ms, added, updated, unchanged,
  withdrawn, rejected, report`;

function toRun(row: RunRow): IngestRun {
  return {
    id: row.id,
    library: row.library,
    sourceKey: row.source_key,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.duration_ms,
    counts: {
      added: row.added,
      updated: row.updated,
      unchanged: row.unchanged,
      withdrawn: row.withdrawn,
      rejected: row.rejected,
    },
    report: row.report,
  };
}

export class PostgresIngestRunLog implements IngestRunLog {
  constructor(private readonly pool: pg.Pool) {}

  async start(library: string, sourceKey: string): Promise<string> {
    const result = await this.pool.query<{ id: string }>(
      `INSERT INTO ingest_run (library, source_key, status) VALUES ($1, $2, 'running') RETURNING id::text`,
      [library, sourceKey],
    );
    return (result.rows[0] as { id: string }).id;
  }

  async finish(
    id: string,
    outcome: {
      status: Exclude<IngestStatus, 'running'>;
      counts?: IngestCounts;
      rejected?: number;
      report: IngestReport;
    },
  ): Promise<IngestRun> {
    const counts = outcome.counts ?? { added: 0, updated: 0, unchanged: 0, withdrawn: 0 };
    const result = await this.pool.query<RunRow>(
      `UPDATE ingest_run SET status = $2, finished_at = clock_timestamp(),
         duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int,
         added = $3, updated = $4, unchanged = $5, withdrawn = $6, rejected = $7, report = $8::jsonb,
         source_format = $8::jsonb ->> 'format'
       WHERE id = $1 RETURNING ${columns}`,
      [
        id,
        outcome.status,
        counts.added,
        counts.updated,
        counts.unchanged,
        counts.withdrawn,
        outcome.rejected ?? 0,
        JSON.stringify(outcome.report),
      ],
    );
    const row = result.rows[0];
    if (!row) throw new Error(`No ingest run ${id}`);
    return toRun(row);
  }

  async list(query: { limit: number; before?: string | undefined }): Promise<IngestRun[]> {
    const result = await this.pool.query<RunRow>(
      `SELECT ${columns} FROM ingest_run WHERE $2::bigint IS NULL OR id < $2::bigint ORDER BY id DESC LIMIT $1`,
      [query.limit, query.before ?? null],
    );
    return result.rows.map(toRun);
  }

  async get(id: string): Promise<IngestRun | undefined> {
    const result = await this.pool.query<RunRow>(`SELECT ${columns} FROM ingest_run WHERE id = $1::bigint`, [id]);
    return result.rows[0] ? toRun(result.rows[0]) : undefined;
  }
}
