import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { readerMessages } from '../../src/features/reader/messages';
import { ProgressSaver, type PendingPlace } from '../../src/features/reader/utils/progress-saver';

describe('ProgressSaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends only the latest place after a pause, and what is pending at once when flushed', async () => {
    // Prepare
    const sent: [PendingPlace, boolean][] = [];
    const saver = new ProgressSaver((place, keepalive) => {
      sent.push([place, keepalive]);
      return Promise.resolve();
    }, 500);

    // Act
    saver.save({ location: 'a', progress: 0.1 });
    saver.save({ location: 'b', progress: 0.2 });
    await vi.advanceTimersByTimeAsync(499);
    const beforePause = sent.length;
    await vi.advanceTimersByTimeAsync(1);
    saver.save({ location: 'c', progress: 0.3 });
    saver.flush(true);
    saver.flush(true);

    // Assess
    expect(beforePause).toBe(0);
    expect(sent).toEqual([
      [{ location: 'b', progress: 0.2 }, false],
      [{ location: 'c', progress: 0.3 }, true],
    ]);
  });

  it('keeps a place whose save failed for the next try, unless a newer one came', async () => {
    // Prepare
    const sent: string[] = [];
    let fail = true;
    const saver = new ProgressSaver((place) => {
      sent.push(place.location);
      return fail ? Promise.reject(new Error('offline')) : Promise.resolve();
    }, 100);

    // Act
    saver.save({ location: 'a', progress: 0.1 });
    await vi.advanceTimersByTimeAsync(100);
    fail = false;
    saver.flush(false);
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(sent).toEqual(['a', 'a']);
  });
});

describe('reader messages', () => {
  it('has a Vietnamese text for every English one, and none left in English', () => {
    // Prepare
    const leaves = (value: unknown, path = ''): [string, string][] => {
      if (typeof value === 'string') return [[path, value]];
      if (typeof value === 'function') return [[path, String((value as (...args: unknown[]) => unknown)('X', 2))]];
      return Object.entries(value as object).flatMap(([key, item]) => leaves(item, path ? `${path}.${key}` : key));
    };
    const english = leaves(readerMessages.en);
    const vietnamese = new Map(leaves(readerMessages.vi));

    // Assess
    expect([...vietnamese.keys()]).toEqual(english.map(([path]) => path));
    expect(english.filter(([path, text]) => text.includes(' ') && vietnamese.get(path) === text)).toEqual([]);
  });
});
