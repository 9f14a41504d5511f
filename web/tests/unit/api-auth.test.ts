import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

import { createApiClient } from '../../src/lib/api-client';
import { createEventsClient } from '../../src/lib/events-client';

function recording() {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    if (init?.method === 'DELETE') return new Response(null, { status: 204 });
    return Response.json({ accepted: 1, duplicates: 0, rejected: [] });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const authorizationOf = (init: RequestInit) => new Headers(init.headers).get('authorization');

describe('api client and the signed-in reader', () => {
  it('sends the reader’s token as a bearer, none when anonymous or when a request says null', async () => {
    // Prepare
    const { fetch, calls } = recording();
    let token: string | null = 'abc';
    const api = createApiClient({ baseUrl: '/api', fetch, accessToken: () => token });

    // Act
    await api.get('/x', z.unknown());
    await api.post('/x', {}, z.unknown(), { accessToken: null });
    token = null;
    await api.get('/x', z.unknown());
    await api.delete('/x', z.undefined(), { accessToken: 'other' });

    // Assess
    expect(calls.map(({ init }) => authorizationOf(init))).toEqual(['Bearer abc', null, null, 'Bearer other']);
    expect(calls[3]?.init.method).toBe('DELETE');
  });

  it('flushes a signed-in reader’s events on page hide by keepalive fetch with the token, not by beacon', () => {
    // Prepare
    const { fetch, calls } = recording();
    const sendBeacon = vi.fn(() => true);
    const events = createEventsClient({
      api: createApiClient({ baseUrl: '/api', fetch }),
      readerId: 'sub-1',
      accessToken: () => 'abc',
      sendBeacon,
    });
    events.track({ type: 'open', bookId: '7' });

    // Act
    events.flushOnHide();

    // Assess
    expect(sendBeacon).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.init.keepalive).toBe(true);
    expect(authorizationOf(calls[0]!.init)).toBe('Bearer abc');
    events.dispose();
  });

  it('still beacons an anonymous reader’s events, and tells the shelf about each tracked event', () => {
    // Prepare
    const { fetch, calls } = recording();
    const sendBeacon = vi.fn(() => true);
    const onTrack = vi.fn();
    const events = createEventsClient({
      api: createApiClient({ baseUrl: '/api', fetch, accessToken: () => 'abc' }),
      readerId: 'anon-1',
      accessToken: () => null,
      sendBeacon,
      onTrack,
    });
    events.track({ type: 'borrow', bookId: '7' });

    // Act
    events.flushOnHide();

    // Assess
    expect(sendBeacon).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(0);
    expect(onTrack).toHaveBeenCalledWith(expect.objectContaining({ type: 'borrow', bookId: '7', readerId: 'anon-1' }));
    events.dispose();
  });
});
