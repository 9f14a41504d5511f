import { describe, expect, it } from 'vitest';
import type { BookFile, BookFileObjects } from '../../src/reading/ports';
import { storeLibraryFiles, type LibraryBookFile } from '../../src/reading/use-cases/store-library-files';

class MemoryObjects implements BookFileObjects {
  readonly keys = new Map<string, number>();
  exists(key: string) {
    return Promise.resolve(this.keys.has(key));
  }
  put(key: string, body: Uint8Array) {
    this.keys.set(key, body.byteLength);
    return Promise.resolve();
  }
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

function depsWith(ids: Record<string, string>, giveUpAfter?: number) {
  const objects = new MemoryObjects();
  const recorded: BookFile[] = [];
  return {
    objects,
    recorded,
    deps: {
      objects,
      files: { record: (file: BookFile) => Promise.resolve(void recorded.push(file)) },
      books: { idsBySourceId: () => Promise.resolve(new Map(Object.entries(ids))) },
      maxBytes: 10,
      ...(giveUpAfter === undefined ? {} : { giveUpAfter }),
    },
  };
}

const file = (bookUuid: string, content: string | Error, size: number | null = null): LibraryBookFile => ({
  bookUuid,
  format: 'EPUB',
  path: `${bookUuid}.epub`,
  size,
  bytes: () => (content instanceof Error ? Promise.reject(content) : bytesOf(content)),
});

describe('storeLibraryFiles', () => {
  it("stores the stored books' files, refuses big ones unread, and reports unreadable ones", async () => {
    // Prepare
    const { deps, recorded, objects } = depsWith({ a: '1', b: '2', c: '3' });
    const declaredTooBig: LibraryBookFile = { ...file('c', 'x', 11), bytes: () => Promise.reject(new Error('read')) };

    // Act
    const outcome = await storeLibraryFiles(deps, 'lib', [
      file('a', 'same'),
      file('b', 'same'),
      declaredTooBig,
      file('b', new Error('gone')),
      file('a', 'far more than ten bytes'),
      file('rejected-book', 'never read'),
    ]);

    // Assess
    expect(outcome.counts).toEqual({ stored: 1, unchanged: 1, refused: 2, unreadable: 1 });
    expect(outcome.problems.map((problem) => problem.at)).toEqual(['c.epub', 'b.epub', 'a.epub']);
    expect(recorded.map((row) => row.bookId)).toEqual(['1', '2']);
    expect(objects.keys.size).toBe(1);
  });

  it('stops trying when the first files all fail to read, with one line for the rest', async () => {
    // Prepare
    const { deps } = depsWith({ a: '1', b: '2', c: '3', d: '4' }, 2);

    // Act
    const outcome = await storeLibraryFiles(
      deps,
      'lib',
      ['a', 'b', 'c', 'd'].map((uuid) => file(uuid, new Error('NoSuchKey'))),
    );

    // Assess
    expect(outcome.counts).toEqual({ stored: 0, unchanged: 0, refused: 0, unreadable: 4 });
    expect(outcome.problems).toEqual([
      { at: 'a.epub', message: 'not stored: NoSuchKey' },
      { at: 'b.epub', message: 'not stored: NoSuchKey' },
      { at: '2 more files', message: 'not tried: the first 2 files could not be read either' },
    ]);
  });
});
