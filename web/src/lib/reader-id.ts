/** Where the anonymous reader id is kept between visits. */
export const READER_ID_STORAGE_KEY = 'shelfwise.readerId';

/** `anon-` and a UUID: what the events API and the recommendations API take as an anonymous reader. */
const ANONYMOUS_ID = /^anon-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The reader's anonymous id (`anon-<uuid>`): read from `storage`, or made and stored on the first visit. Without
 * storage (private browsing, storage blocked) the id lasts as long as the page.
 */
export function readerIdFrom(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined, newId = randomUuid): string {
  const stored = safely(() => storage?.getItem(READER_ID_STORAGE_KEY));
  if (stored && ANONYMOUS_ID.test(stored)) return stored;
  const readerId = `anon-${newId()}`;
  safely(() => storage?.setItem(READER_ID_STORAGE_KEY, readerId));
  return readerId;
}

/** The id of this browser's reader, kept in localStorage. */
export function currentReaderId(): string {
  return readerIdFrom(safely(() => globalThis.localStorage));
}

/** A random v4 UUID; `crypto.randomUUID` exists only in secure contexts, `getRandomValues` everywhere. */
export function randomUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
