/**
 * `npm start -- --calibre <folder>`: puts a reader's own Calibre library into the local ingest bucket, exactly as a
 * librarian's upload lands in S3, and waits for the ingest function (run by the local S3 notifications) to finish.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import type { IngestRun } from '@shelfwise/lambdas/catalogue/ports';
import { localAccounts } from './identity/token-issuer';
import type { LocalRuntime } from './runtime';

/** "My Calibre Library" → "my-calibre-library" (a valid library name). */
export function libraryNameOf(folder: string): string {
  const name = path
    .basename(path.resolve(folder))
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 64);
  return name || 'calibre';
}

/** The library's source file: `<folder>/metadata.db`, or the file itself (a metadata.db, CSV, XML, JSON or zip). */
async function sourceFileOf(location: string): Promise<string> {
  const info = await stat(location).catch(() => {
    throw new Error(`--calibre: "${location}" does not exist`);
  });
  if (info.isFile()) return location;
  const database = path.join(location, 'metadata.db');
  if (!(await stat(database).catch(() => undefined))?.isFile()) {
    throw new Error(`--calibre: "${location}" is not a Calibre library folder (it has no metadata.db)`);
  }
  return database;
}

export async function uploadCalibreLibrary(
  runtime: LocalRuntime,
  location: string,
  timeoutMs = 10 * 60_000,
): Promise<IngestRun> {
  const file = await sourceFileOf(location);
  const library = libraryNameOf((await stat(location)).isFile() ? path.dirname(location) : location);
  const key = `calibre/${library}/${path.basename(file)}`;
  const s3 = new S3Client({
    region: runtime.environment.AWS_REGION,
    endpoint: runtime.environment.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
  });
  try {
    await s3.send(new PutObjectCommand({ Bucket: buckets.ingest.localName, Key: key, Body: await readFile(file) }));
  } finally {
    s3.destroy();
  }
  // The ingest runs are a librarian route: ask as the printed local librarian.
  const { sub, username, groups } = localAccounts.librarian;
  const token = await runtime.identity.issue({ sub, username, groups });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${runtime.apiUrl}/librarian/ingest-runs?limit=20`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`--calibre: the ingest runs answered ${response.status}`);
    const { items } = (await response.json()) as { items: IngestRun[] };
    const run = items.find((candidate) => candidate.sourceKey === key && candidate.status !== 'running');
    if (run) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`--calibre: the ingest of ${key} did not finish within ${timeoutMs / 1000} s`);
}
