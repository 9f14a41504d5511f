import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readLibraryZip } from '../../src/catalogue/calibre/read-library-zip';
import { buildMetadataDb, unreadableError, utf8, type TestBook } from '../support/calibre-library';

const emma: TestBook = {
  id: 1,
  uuid: 'c1c3a9f0-8a43-4c43-9e2e-0d8f6d1f2a11',
  title: 'Emma',
  authors: [['Jane Austen', 'Austen, Jane']],
  formats: [
    ['EPUB', 'Emma - Jane Austen'],
    ['PDF', 'Emma - Jane Austen'],
  ],
  hasCover: true,
  path: 'Jane Austen/Emma (1)',
};
const persuasion: TestBook = {
  id: 2,
  uuid: 'f0e1d2c3-b4a5-4968-8776-655443322110',
  title: 'Persuasion',
  authors: [['Jane Austen', 'Austen, Jane']],
  path: 'Jane Austen/Persuasion (2)',
};

const cover = utf8('\xff\xd8 a JPEG, honestly');
const epub = utf8('PK an EPUB');

async function zippedLibrary(folder: string): Promise<Uint8Array> {
  const metadataDb = await buildMetadataDb([emma, persuasion]);
  return zipSync({
    [`${folder}metadata.db`]: metadataDb,
    [`${folder}Jane Austen/Emma (1)/cover.jpg`]: cover,
    [`${folder}Jane Austen/Emma (1)/Emma - Jane Austen.epub`]: epub,
    [`${folder}Jane Austen/Emma (1)/metadata.opf`]: utf8('<package/>'),
  });
}

/** The offset of the central directory header of the zip's only entry. */
function centralHeaderOffset(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = zip.length - 46; at >= 0; at--) if (view.getUint32(at, true) === 0x02014b50) return at;
  throw new Error('no central directory header');
}

describe('readLibraryZip', () => {
  it('finds metadata.db one folder down and lists the covers and format files the zip holds', async () => {
    // Prepare
    const zip = await zippedLibrary('Calibre Library/');

    // Act
    const { library, files } = await readLibraryZip(zip);

    // Assess
    expect(library.format).toBe('metadata.db');
    expect(library.books.map((book) => book.title)).toEqual(['Emma', 'Persuasion']);
    expect(files.map(({ bytes: _bytes, ...file }) => file)).toEqual([
      {
        bookUuid: emma.uuid,
        kind: 'cover',
        path: 'Calibre Library/Jane Austen/Emma (1)/cover.jpg',
        size: cover.length,
      },
      {
        bookUuid: emma.uuid,
        kind: 'format',
        format: 'EPUB',
        path: 'Calibre Library/Jane Austen/Emma (1)/Emma - Jane Austen.epub',
        size: epub.length,
      },
    ]);
    expect(files.map((file) => file.bytes())).toEqual([cover, epub]);
  });

  it('finds metadata.db at the root of the zip', async () => {
    // Prepare
    const zip = await zippedLibrary('');

    // Act
    const { library, files } = await readLibraryZip(zip);

    // Assess
    expect(library.books).toHaveLength(2);
    expect(files.map((file) => file.path)).toEqual([
      'Jane Austen/Emma (1)/cover.jpg',
      'Jane Austen/Emma (1)/Emma - Jane Austen.epub',
    ]);
  });

  it('refuses a zip without a library, with two libraries, or cut short', async () => {
    // Prepare
    const metadataDb = await buildMetadataDb([emma]);
    const noLibrary = zipSync({ 'books/readme.txt': utf8('nothing here') });
    const twoLibraries = zipSync({ 'a/metadata.db': metadataDb, 'b/metadata.db': metadataDb });
    const whole = await zippedLibrary('');
    const cut = whole.slice(0, whole.length - 30);

    // Act
    const results = [noLibrary, twoLibraries, cut].map((zip) => readLibraryZip(zip));

    // Assess
    await expect(results[0] as Promise<unknown>).rejects.toEqual(
      unreadableError(/^zip holds no metadata.db/, 'metadata.db'),
    );
    await expect(results[1] as Promise<unknown>).rejects.toEqual(
      unreadableError(/^zip holds several libraries: a\/metadata.db, b\/metadata.db$/, 'metadata.db'),
    );
    await expect(results[2] as Promise<unknown>).rejects.toEqual(
      unreadableError(/^not a valid zip: no end of central directory/, 'metadata.db'),
    );
  });

  it('refuses a zip bomb: too many bytes declared uncompressed, or too many entries', async () => {
    // Prepare
    const metadataDb = await buildMetadataDb([emma]);
    const bomb = zipSync({ 'metadata.db': metadataDb, 'zeros.bin': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    const crowd = zipSync({
      'metadata.db': metadataDb,
      ...Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`f${index}.txt`, utf8('x')])),
    });

    // Act
    const refusedBomb = readLibraryZip(bomb, { maxUncompressedBytes: 1024 * 1024 });
    const refusedCrowd = readLibraryZip(crowd, { maxEntries: 10 });

    // Assess
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(refusedBomb).rejects.toEqual(
      unreadableError(/^zip refused: its entries declare more than 1048576 bytes uncompressed/, 'metadata.db'),
    );
    await expect(refusedCrowd).rejects.toEqual(
      unreadableError(/^zip refused: 31 entries, more than the limit of 10$/, 'metadata.db'),
    );
  });

  it('refuses an entry whose data is larger than the size it declares', async () => {
    // Prepare
    const zip = zipSync({ 'metadata.db': await buildMetadataDb([emma]) });
    const header = centralHeaderOffset(zip);
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    view.setUint32(header + 24, view.getUint32(header + 24, true) - 4096, true);

    // Act
    const result = readLibraryZip(zip);

    // Assess
    await expect(result).rejects.toEqual(
      unreadableError(/^not a valid zip: metadata.db fails its CRC-32 check/, 'metadata.db'),
    );
  });
});
