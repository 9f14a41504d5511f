import { describe, expect, it } from 'vitest';

import { READER_ID_STORAGE_KEY, randomUuid, readerIdFrom } from '../../src/lib/reader-id';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
}

const uuid = '0b9f6a36-3f5e-4c1d-9a57-0c6f7d1e2a3b';

describe('readerIdFrom', () => {
  it('makes an anon-<uuid> id on the first visit and keeps it', () => {
    // Prepare
    const storage = memoryStorage();

    // Act
    const first = readerIdFrom(storage, () => uuid);
    const second = readerIdFrom(storage, () => 'another');

    // Assess
    expect(first).toBe(`anon-${uuid}`);
    expect(second).toBe(first);
    expect(storage.values.get(READER_ID_STORAGE_KEY)).toBe(first);
  });

  it('replaces a stored value that is not an anonymous id', () => {
    const storage = memoryStorage({ [READER_ID_STORAGE_KEY]: 'anon-<script>' });
    expect(readerIdFrom(storage, () => uuid)).toBe(`anon-${uuid}`);
  });

  it('still gives an id when storage is missing or throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readerIdFrom(undefined, () => uuid)).toBe(`anon-${uuid}`);
    expect(readerIdFrom(throwing, () => uuid)).toBe(`anon-${uuid}`);
  });
});

describe('randomUuid', () => {
  it('makes v4 UUIDs', () => {
    expect(randomUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
