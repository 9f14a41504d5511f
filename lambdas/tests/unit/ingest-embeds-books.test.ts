import { describe, expect, it } from 'vitest';
import { parseCalibreFile } from '../../src/catalogue/calibre/detect-format';
import type { CatalogueWriter, IngestReport, IngestRun, IngestRunLog, ObjectStore } from '../../src/catalogue/ports';
import {
  ingestCalibreObject,
  type IngestCalibreDependencies,
} from '../../src/catalogue/use-cases/ingest-calibre-object';
import { buildMetadataDb } from '../support/calibre-library';

function fakes(bytes: Uint8Array, afterIngest: (library: string) => Promise<void>) {
  const finished: { status: string; report: IngestReport }[] = [];
  const objects: ObjectStore = {
    get: () => Promise.resolve(bytes),
    put: () => Promise.resolve(),
    move: () => Promise.resolve(),
  };
  const writer: CatalogueWriter = {
    ingestLibrary: () => Promise.resolve({ added: 1, updated: 0, unchanged: 0, withdrawn: 0 }),
  };
  const runs: IngestRunLog = {
    start: () => Promise.resolve('1'),
    finish: (_id, outcome) => {
      finished.push(outcome);
      return Promise.resolve({ id: '1', status: outcome.status, report: outcome.report } as IngestRun);
    },
    list: () => Promise.resolve([]),
    get: () => Promise.resolve(undefined),
  };
  const deps: IngestCalibreDependencies = {
    objects,
    writer,
    runs,
    parse: (key, data) => parseCalibreFile(key, data),
    maxObjectBytes: 10_000_000,
    afterIngest,
  };
  return { deps, finished };
}

const oneBook = () =>
  buildMetadataDb([
    {
      id: 1,
      uuid: 'u-1',
      title: 'Emma',
      authors: [['Jane Austen', 'Austen, Jane']],
      tags: ['Fiction'],
      languages: ['eng'],
    },
  ]);

describe('ingestCalibreObject › after-ingest step (chatbot embeddings)', () => {
  it('runs the step for the library after a successful write', async () => {
    // Prepare
    const libraries: string[] = [];
    const { deps, finished } = fakes(await oneBook(), (library) => {
      libraries.push(library);
      return Promise.resolve();
    });

    // Act
    await ingestCalibreObject(deps, 'calibre/town/metadata.db');

    // Assess
    expect(libraries).toEqual(['town']);
    expect(finished[0]?.status).toBe('succeeded');
    expect(finished[0]?.report.warnings ?? []).toEqual([]);
  });

  it('reports a failing step as a warning; the ingest still succeeds', async () => {
    // Prepare
    const { deps, finished } = fakes(await oneBook(), () => Promise.reject(new Error('Bedrock throttled')));

    // Act
    await ingestCalibreObject(deps, 'calibre/town/metadata.db');

    // Assess
    expect(finished[0]?.status).toBe('succeeded');
    expect(finished[0]?.report.warnings).toContainEqual({ at: 'after ingest', message: 'failed: Bedrock throttled' });
  });
});
