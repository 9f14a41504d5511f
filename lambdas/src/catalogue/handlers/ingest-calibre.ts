/**
 * Catalogue ingest (S3 event notification on `calibre/` in the ingest bucket): each uploaded Calibre file is parsed,
 * cleaned and written to Postgres; unreadable files are quarantined with a report. A failure other than bad input is
 * rethrown so the invocation is retried and, in the end, sent to the dead-letter queue.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { lazyPool } from '../../shared/db/pool';
import { logger, metrics } from '../../shared/observability';
import { PostgresCatalogueWriter } from '../adapters/postgres-catalogue-writer';
import { PostgresIngestRunLog } from '../adapters/postgres-ingest-run-log';
import { S3ObjectStore } from '../adapters/s3-object-store';
import { parseCalibreFile } from '../calibre/detect-format';
import { ingestConfigFrom } from '../config';
import { ingestCalibreObject } from '../use-cases/ingest-calibre-object';
import { createEmbedder } from '../../chat/adapters/create-adapters';
import { PostgresBookEmbeddings } from '../../chat/adapters/postgres-book-embeddings';
import { embedderSettingsFrom } from '../../chat/config';
import { embedBooks } from '../../chat/use-cases/embed-books';

const config = ingestConfigFrom(process.env);
const getPool = lazyPool(() => config.database);
const embedder = createEmbedder(embedderSettingsFrom(process.env));
const objects = new S3ObjectStore(new S3Client({ forcePathStyle: true }), config.bucket);

/** S3 event keys are URL-encoded with '+' for spaces. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

export const handler = async (event: S3Event): Promise<void> => {
  const pool = await getPool();
  const deps = {
    objects,
    writer: new PostgresCatalogueWriter(pool),
    runs: new PostgresIngestRunLog(pool),
    parse: (key: string, bytes: Uint8Array) => parseCalibreFile(key, bytes),
    maxObjectBytes: config.maxObjectBytes,
    afterIngest: async () => void (await embedBooks({ store: new PostgresBookEmbeddings(pool), embedder })),
  };
  for (const record of event.Records) {
    const key = decodeKey(record.s3.object.key);
    if (record.s3.bucket.name !== config.bucket) {
      logger.warn('Event for another bucket ignored', { bucket: record.s3.bucket.name });
      continue;
    }
    const run = await ingestCalibreObject(deps, key);
    if (!run) {
      logger.info('Not a library source; ignored', { key });
      continue;
    }
    logger.info('Ingest finished', {
      key,
      run: run.id,
      status: run.status,
      counts: run.counts,
      durationMs: run.durationMs,
    });
    metrics.addMetric(`ingest_${run.status}`, 'Count', 1);
    metrics.addMetric('books_rejected', 'Count', run.counts.rejected);
  }
  metrics.publishStoredMetrics();
};
