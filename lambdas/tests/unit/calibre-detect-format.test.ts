import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UnreadableLibraryError } from '../../src/catalogue/calibre/calibre-book';
import { detectCalibreFile, parseCalibreFile } from '../../src/catalogue/calibre/detect-format';
import { buildCatalogCsv, buildMetadataDb, thrownBy, utf8, type TestBook } from '../support/calibre-library';

const emma: TestBook = {
  id: 1,
  uuid: 'c1c3a9f0-8a43-4c43-9e2e-0d8f6d1f2a11',
  title: 'Emma',
  authors: [['Jane Austen', 'Austen, Jane']],
};
const emmaRow = { uuid: emma.uuid ?? '', title: 'Emma', authors: 'Jane Austen', id: '1' };

describe('detectCalibreFile', () => {
  it('goes by the first bytes before the name', async () => {
    // Prepare
    const metadataDb = await buildMetadataDb([emma]);
    const inputs: [string, Uint8Array][] = [
      ['upload.csv', metadataDb],
      ['upload.bin', zipSync({ 'metadata.db': metadataDb })],
      ['upload.csv', utf8('\ufeff\n  <?xml version="1.0"?><calibredb/>')],
      ['upload', utf8('<calibredb></calibredb>')],
      ['upload.xml', utf8(' [{"uuid": "u-1"}]')],
      ['upload.txt', utf8('{"books": []}')],
    ];

    // Act
    const kinds = inputs.map(([key, bytes]) => detectCalibreFile(key, bytes));

    // Assess
    expect(kinds).toEqual(['metadata.db', 'zip', 'xml', 'xml', 'json', 'json']);
  });

  it('goes by the name when the bytes have no magic, and by the header line for a CSV without one', () => {
    // Prepare
    const csv = utf8(buildCatalogCsv([emmaRow]));
    const inputs: [string, Uint8Array][] = [
      ['uploads/2026/catalog.CSV', csv],
      ['uploads/catalog', csv],
      ['uploads/library.db', utf8('garbage')],
    ];

    // Act
    const kinds = inputs.map(([key, bytes]) => detectCalibreFile(key, bytes));

    // Assess
    expect(kinds).toEqual(['csv', 'csv', 'metadata.db']);
  });

  it('refuses an empty file and a file it cannot recognise', () => {
    // Prepare
    const empty = new Uint8Array(0);
    const unknown = utf8('hello world');

    // Act
    const errors = [thrownBy(() => detectCalibreFile('x.csv', empty)), thrownBy(() => detectCalibreFile('x', unknown))];

    // Assess
    expect(errors[0]).toBeInstanceOf(UnreadableLibraryError);
    expect((errors[0] as Error).message).toBe('empty file');
    expect((errors[1] as Error).message).toMatch(/^unrecognised file: /);
  });
});

describe('parseCalibreFile', () => {
  it('parses each kind with its reader; only a zip brings files', async () => {
    // Prepare
    const metadataDb = await buildMetadataDb([emma]);
    const inputs: [string, Uint8Array][] = [
      ['metadata.db', metadataDb],
      ['library.zip', zipSync({ 'Library/metadata.db': metadataDb })],
      ['catalog.csv', utf8(buildCatalogCsv([emmaRow]))],
      ['catalog.xml', utf8(`<calibredb><record><uuid>${emma.uuid}</uuid><title>Emma</title></record></calibredb>`)],
      ['list.json', utf8(JSON.stringify([{ id: 1, uuid: emma.uuid, title: 'Emma', authors: 'Jane Austen' }]))],
    ];

    // Act
    const parsed = await Promise.all(inputs.map(([key, bytes]) => parseCalibreFile(key, bytes)));

    // Assess
    expect(parsed.map(({ library }) => library.format)).toEqual(['metadata.db', 'metadata.db', 'csv', 'xml', 'json']);
    expect(parsed.map(({ library }) => library.books[0]?.uuid)).toEqual(Array(5).fill(emma.uuid));
    expect(parsed.every(({ files }) => files.length === 0)).toBe(true);
  });

  it('says a cut-short SQLite file is a truncated SQLite database', async () => {
    // Prepare
    const metadataDb = await buildMetadataDb([emma]);
    const cuts = [metadataDb.slice(0, 10), metadataDb.slice(0, metadataDb.length - 100)];

    // Act
    const errors = await Promise.all(
      cuts.map((bytes) => parseCalibreFile('metadata.db', bytes).catch((e: unknown) => e)),
    );

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(UnreadableLibraryError);
      expect((error as Error).message).toMatch(/^truncated SQLite database: /);
    }
  });
});
