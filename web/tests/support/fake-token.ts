/** An unsigned JWT with `claims` (the app decodes tokens but never verifies them: the API does). */
export function fakeToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

export const READER_SUB = '6f1c3a27-d4e4-4f5a-9b8c-0d1e2f3a4b5c';
export const LIBRARIAN_SUB = 'e2a4c6b8-1d3f-4a5b-8c7d-9e0f1a2b3c4d';

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

export const readerToken = () => fakeToken({ sub: READER_SUB, username: 'reader@shelfwise.local', exp: inAnHour() });
export const librarianToken = () =>
  fakeToken({
    sub: LIBRARIAN_SUB,
    username: 'librarian@shelfwise.local',
    'cognito:groups': ['librarians'],
    exp: inAnHour(),
  });

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

/**
 * A fake API at the fetch boundary that records every request (method, path, bearer, JSON body) and answers from
 * `answer` (by "METHOD /path"); unknown requests get a 404. Events are accepted.
 */
export function recordingFetch(answer: (key: string, url: URL) => Response | undefined) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://shelfwise.test');
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method, path: url.pathname, authorization: headers.get('authorization'), body });
    if (method === 'POST' && url.pathname === '/api/events') {
      const count = (body as { events: unknown[] }).events.length;
      return Response.json({ accepted: count, duplicates: 0, rejected: [] });
    }
    return answer(`${method} ${url.pathname}`, url) ?? Response.json({ message: 'Not found' }, { status: 404 });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}
