/**
 * A few demo books that readers can borrow and read on `npm start`: each gets an EPUB made by the project
 * (../reading/sample-epub.ts: the book's title and authors, chapters of generated prose saying it is a sample), stored
 * through the ingest's own book-file use case (books bucket keyed by content hash, `book_file` rows), so a restart
 * with the data kept copies nothing.
 */
import { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { PostgresBookFiles } from '@shelfwise/lambdas/reading/adapters/postgres-book-files';
import { S3BookFileObjects } from '@shelfwise/lambdas/reading/adapters/s3-book-file-objects';
import {
  storeLibraryFiles,
  type LibraryBookFile,
  type LibraryFileCounts,
} from '@shelfwise/lambdas/reading/use-cases/store-library-files';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import { sampleBook, writeEpub } from '../reading/sample-epub';
import { demoLibraryName, readDemoCatalogue } from './demo-catalogue';

/** The demo books that have a file (their keys in demo/catalogue/*.json). */
export const demoBooksWithFiles = [
  'pride-and-prejudice-austen',
  'emma-austen',
  'frankenstein-shelley',
  'the-hound-of-the-baskervilles-doyle',
  'the-time-machine-wells',
  'alices-adventures-in-wonderland-carroll',
] as const;

const languageTags: Readonly<Record<string, string>> = { eng: 'en', vie: 'vi', fra: 'fr', deu: 'de' };

export async function storeDemoBookFiles(options: {
  databaseUrl: string;
  s3Endpoint: string;
  region: string;
  catalogueDir?: string | undefined;
}): Promise<LibraryFileCounts> {
  const wanted = new Set<string>(demoBooksWithFiles);
  const books = (await readDemoCatalogue(options.catalogueDir)).filter((book) => wanted.has(book.key));
  const files: LibraryBookFile[] = books.map((book) => ({
    bookUuid: book.key,
    format: 'EPUB',
    path: `demo/${book.key}.epub`,
    size: null,
    bytes: () =>
      writeEpub(
        sampleBook(book.title, {
          identifier: `urn:shelfwise:demo:${book.key}`,
          authors: book.authors,
          language: languageTags[book.language] ?? 'en',
        }),
      ),
  }));
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  const s3 = new S3Client({
    region: options.region,
    endpoint: options.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    const bookFiles = new PostgresBookFiles(pool);
    const objects = new S3BookFileObjects(s3, buckets.books.localName);
    const deps = { objects, files: bookFiles, books: bookFiles, maxBytes: 10 * 1024 * 1024 };
    return (await storeLibraryFiles(deps, demoLibraryName, files)).counts;
  } finally {
    s3.destroy();
    await pool.end();
  }
}
