import { describe, expect, it, vi } from 'vitest';

import { sessionFromAccessToken } from '../../src/features/auth/utils/token-claims';
import { SESSION_STORAGE_KEY, createSessionStore, isLibrarian, type Session } from '../../src/lib/session';
import { fakeToken } from '../support/fake-token';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
    items,
  };
}

const session: Session = {
  accessToken: 'token',
  sub: 'sub-1',
  username: 'reader@shelfwise.local',
  groups: [],
  expiresAt: 2_000,
};

describe('createSessionStore', () => {
  it('keeps the session in storage, tells subscribers, and forgets it on sign-out', () => {
    // Prepare
    const storage = memoryStorage();
    const store = createSessionStore(storage, () => 1_000);
    const listener = vi.fn();
    store.subscribe(listener);

    // Act
    store.set(session);

    // Assess
    expect(store.get()).toEqual(session);
    expect(createSessionStore(storage, () => 1_000).get()).toEqual(session);
    expect(listener).toHaveBeenCalledTimes(1);

    // Act
    store.set(null);

    // Assess
    expect(store.get()).toBeNull();
    expect(storage.items.has(SESSION_STORAGE_KEY)).toBe(false);
  });

  it('reads an expired or malformed session as anonymous', () => {
    // Prepare
    const storage = memoryStorage();
    storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));

    // Assess
    expect(createSessionStore(storage, () => 2_000).get()).toBeNull();
    storage.setItem(SESSION_STORAGE_KEY, '{"accessToken":1}');
    expect(createSessionStore(storage, () => 0).get()).toBeNull();
  });
});

describe('sessionFromAccessToken', () => {
  it('reads the subject, username, groups and expiry of a Cognito-shaped access token', () => {
    // Prepare
    const token = fakeToken({
      sub: 'abc',
      username: 'librarian',
      'cognito:groups': ['librarians'],
      exp: 1_800_000_000,
    });

    // Act
    const result = sessionFromAccessToken(token);

    // Assess
    expect(result).toEqual({
      accessToken: token,
      sub: 'abc',
      username: 'librarian',
      groups: ['librarians'],
      expiresAt: 1_800_000_000_000,
    });
    expect(isLibrarian(result)).toBe(true);
    expect(sessionFromAccessToken(token, 'ada@example.org').username).toBe('ada@example.org');
  });

  it('refuses a token without a subject', () => {
    expect(() => sessionFromAccessToken(fakeToken({ username: 'x' }))).toThrow(/no subject/);
    expect(() => sessionFromAccessToken('not-a-jwt')).toThrow();
  });
});
