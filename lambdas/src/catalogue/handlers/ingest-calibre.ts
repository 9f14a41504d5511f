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
import { PostgresBookFiles } from '../../reading/adapters/postgres-book-files';
import { S3BookFileObjects } from '../../reading/adapters/s3-book-file-objects';
import { storeLibraryFiles, type LibraryBookFile } from '../../reading/use-cases/store-library-files';
import { HyparquetDimBookParquet } from '../../warehouse/adapters/hyparquet-dim-book-parquet';
import { PostgresCatalogueSnapshotSource } from '../../warehouse/adapters/postgres-catalogue-snapshot-source';
import { S3LakeObjectWriter } from '../../warehouse/adapters/s3-lake-object-writer';
import { dimBookExportConfigFrom } from '../../warehouse/config';
import { exportDimBook } from '../../warehouse/use-cases/export-dim-book';

const config = ingestConfigFrom(process.env);
const getPool = lazyPool(() => config.database);
const embedder = createEmbedder(embedderSettingsFrom(process.env));
const s3 = new S3Client({ forcePathStyle: true });
const objects = new S3ObjectStore(s3, config.bucket);
const bookObjects = config.booksBucket ? new S3BookFileObjects(s3, config.booksBucket) : undefined;
const { lakeBucket } = dimBookExportConfigFrom(process.env);
const lake = lakeBucket ? new S3LakeObjectWriter(s3, lakeBucket) : undefined;
const parquet = new HyparquetDimBookParquet();

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
    // Embeddings, then the warehouse's catalogue snapshot; each runs whatever the other did, failures are warnings.
    afterIngest: async () => {
      const failed: string[] = [];
      const note = (step: string) => (error: unknown) => void failed.push(`${step}: ${(error as Error).message}`);
      await embedBooks({ store: new PostgresBookEmbeddings(pool), embedder }).catch(note('embeddings'));
      const catalogue = new PostgresCatalogueSnapshotSource(pool);
      if (lake) await exportDimBook({ catalogue, parquet, lake }).catch(note('dim_book export'));
      if (failed.length > 0) throw new Error(failed.join('; '));
    },
    storeBookFiles: bookObjects
      ? (library: string, files: readonly LibraryBookFile[]) => {
          const bookFiles = new PostgresBookFiles(pool);
          const fileDeps = {
            objects: bookObjects,
            files: bookFiles,
            books: bookFiles,
            covers: bookFiles,
            maxBytes: config.maxBookFileBytes,
          };
          return storeLibraryFiles(fileDeps, library, files);
        }
      : undefined,
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
