/**
 * The signed-in reader, if any: the access token sent as `authorization: Bearer …` on API calls, and the claims the
 * app needs (`sub` is the reader id once signed in; `groups` shows the librarian pages). Kept in localStorage under
 * `shelfwise.session` until it expires or the reader signs out; the API verifies every token, the app only reads it.
 * Shared code: the api client, the events client and the layout read it; the auth feature writes it.
 */

export const SESSION_STORAGE_KEY = 'shelfwise.session';

export const LIBRARIAN_GROUP = 'librarians';

export interface Session {
  readonly accessToken: string;
  /** The account's subject: the reader id of a signed-in reader. */
  readonly sub: string;
  readonly username: string;
  readonly groups: readonly string[];
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export interface SessionStore {
  /** The current session, or null when the reader is anonymous (or the token has expired). */
  get(): Session | null;
  set(session: Session | null): void;
  subscribe(listener: () => void): () => void;
}

type SessionStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const session = value as Record<string, unknown>;
  return (
    typeof session.accessToken === 'string' &&
    typeof session.sub === 'string' &&
    typeof session.username === 'string' &&
    Array.isArray(session.groups) &&
    session.groups.every((group) => typeof group === 'string') &&
    typeof session.expiresAt === 'number'
  );
}

/** A session store over `storage` (none: in memory only). An expired session reads as null. */
export function createSessionStore(storage: SessionStorage | undefined, now = Date.now): SessionStore {
  const listeners = new Set<() => void>();
  let current: Session | null = read();

  function read(): Session | null {
    try {
      const value: unknown = JSON.parse(storage?.getItem(SESSION_STORAGE_KEY) ?? 'null');
      return isSession(value) ? value : null;
    } catch {
      return null;
    }
  }

  function write(session: Session | null) {
    try {
      if (session) storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
      else storage?.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // Storage blocked: the session lasts as long as the page.
    }
  }

  const store: SessionStore = {
    get() {
      return current && current.expiresAt > now() ? current : null;
    },
    set(session) {
      if (session === current) return;
      current = session;
      write(session);
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** This browser's session store. */
export const sessionStore: SessionStore = createSessionStore(safeLocalStorage());

export function isLibrarian(session: Session | null): boolean {
  return session?.groups.includes(LIBRARIAN_GROUP) ?? false;
}
