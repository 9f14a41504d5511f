/**
 * Identity and access on the local stack, end to end: the local token issuer, the gateway's JWT authorizer and the
 * handlers' reader-id checks, through the same HTTP API the web app uses.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { buckets, tables } from '@shelfwise/lambdas/shared/infrastructure';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAccounts, sign } from '../src/identity/token-issuer';
import { startLocalRuntime, type LocalRuntime } from '../src/runtime';
import { freePorts } from './support/free-ports';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const anonymousId = () => `anon-${randomUUID()}`;

describe('identity and access on the local stack', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let dynamo: DynamoDBDocumentClient;
  let s3: S3Client;
  let bookIds: string[];
  const subA = randomUUID();
  const subB = randomUUID();
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-access-'));
    const ports = await freePorts(6);
    runtime = await startLocalRuntime({
      dataDir,
      port: ports[0]!,
      servicePorts: {
        postgres: ports[1]!,
        s3: ports[2]!,
        kinesis: ports[3]!,
        dynamodb: ports[4]!,
        identity: ports[5]!,
      },
      reset: true,
      demoCatalogue: true,
    });
    dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: runtime.environment.AWS_ENDPOINT_URL_DYNAMODB }),
    );
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: runtime.environment.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    tokenA = await runtime.identity.issue({ sub: subA });
    tokenB = await runtime.identity.issue({ sub: subB });
    const page = (await (await fetch(`${runtime.apiUrl}/books?limit=10`)).json()) as { items: { id: string }[] };
    bookIds = page.items.map((book) => book.id);
  }, 180_000);

  afterAll(async () => {
    dynamo?.destroy();
    s3?.destroy();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function call(method: string, route: string, options: { token?: string; body?: unknown } = {}) {
    const response = await fetch(`${runtime.apiUrl}${route}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, text };
  }

  const events = (readerId: string, ...books: string[]) => ({
    events: books.map((bookId) => ({
      type: 'open',
      eventId: randomUUID(),
      readerId,
      bookId,
      occurredAt: new Date().toISOString(),
    })),
  });

  /** Every item kept under the reader's key in a table. */
  async function itemsOf(table: string, readerId: string): Promise<string[]> {
    const { Items = [] } = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `READER#${readerId}` },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => String(item.sk)).sort();
  }

  /** Waits until the recommender has written the reader's history. */
  async function historyOf(readerId: string): Promise<string[]> {
    for (let waited = 0; waited < 30_000; waited += 250) {
      const items = await itemsOf(tables.readers.localName, readerId);
      if (items.includes('HISTORY')) return items;
      await sleep(250);
    }
    throw new Error(`No history was written for ${readerId}`);
  }

  /** Waits until the recommender has recorded `bookId` in the reader's history (and written their list). */
  async function historyHolding(readerId: string, bookId: string): Promise<string[]> {
    for (let waited = 0; waited < 30_000; waited += 250) {
      const { Items = [] } = await dynamo.send(
        new QueryCommand({
          TableName: tables.readers.localName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `READER#${readerId}` },
          ConsistentRead: true,
        }),
      );
      const history = Items.find((item) => item.sk === 'HISTORY');
      const keys = Items.map((item) => String(item.sk)).sort();
      if (history && JSON.stringify(history).includes(`"${bookId}"`) && keys.includes('RECOMMENDATIONS')) return keys;
      await sleep(250);
    }
    throw new Error(`Book ${bookId} never reached the history of ${readerId}`);
  }

  /** Every reader route, called for `readerId` (the body names it where the route takes it in the body). */
  const readerRoutes = (readerId: string) =>
    [
      ['POST', '/events', events(readerId, '1')],
      ['GET', `/readers/${readerId}/recommendations`, undefined],
      ['POST', '/chat', { readerId, message: 'a fantasy for kids' }],
      ['POST', `/readers/${readerId}/merge`, { anonymousId: anonymousId() }],
      ['POST', `/readers/${readerId}/history/pause`, undefined],
      ['POST', `/readers/${readerId}/history/resume`, undefined],
      ['DELETE', `/readers/${readerId}/history`, undefined],
    ] as const;

  it('lets an anonymous reader send events, read recommendations, chat, pause and delete with an anon- id', async () => {
    // Prepare
    const reader = anonymousId();

    // Act
    const sent = await call('POST', '/events', { body: events(reader, bookIds[0]!) });
    await historyOf(reader);
    const list = await call('GET', `/readers/${reader}/recommendations`);
    const chat = await call('POST', '/chat', { body: { readerId: reader, message: 'a fantasy for kids' } });
    const pause = await call('POST', `/readers/${reader}/history/pause`);
    const resume = await call('POST', `/readers/${reader}/history/resume`);
    const deleted = await call('DELETE', `/readers/${reader}/history`);

    // Assess
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.text)).toMatchObject({ accepted: 1, rejected: [] });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.text).items.length).toBeGreaterThan(0);
    expect(chat.status).toBe(200);
    expect(chat.text).toContain('event: done');
    expect([pause.status, resume.status, deleted.status]).toEqual([204, 204, 204]);
  });

  it("keeps reader A away from reader B's data on every reader route, and B's history intact", async () => {
    // Prepare
    await call('POST', '/events', { token: tokenB, body: events(subB, bookIds[1]!) });
    const before = await historyOf(subB);

    // Act
    const asA = [];
    for (const [method, route, body] of readerRoutes(subB)) {
      asA.push(`${method} ${route.replace(subB, 'B')} ${(await call(method, route, { token: tokenA, body })).status}`);
    }
    const anonymously = [];
    for (const [method, route, body] of readerRoutes(subB)) {
      anonymously.push(`${method} ${route.replace(subB, 'B')} ${(await call(method, route, { body })).status}`);
    }

    // Assess: 403 for A; anonymous callers get 403 (401 where a token is required: merge).
    expect(asA).toEqual(readerRoutes('B').map(([method, route]) => `${method} ${route} 403`));
    expect(anonymously).toEqual(
      readerRoutes('B').map(([method, route]) => `${method} ${route} ${route.endsWith('/merge') ? 401 : 403}`),
    );
    expect(await itemsOf(tables.readers.localName, subB)).toEqual(before);
  });

  it('refuses a guessable anonymous id, and an anonymous id to a signed-in reader', async () => {
    // Act
    const guessable = await call('GET', '/readers/reader-1/recommendations');
    const signedInAsAnonymous = await call('GET', `/readers/${anonymousId()}/recommendations`, { token: tokenA });

    // Assess
    expect(guessable.status).toBe(403);
    expect(JSON.parse(guessable.text).message).toMatch(/anon-<random uuid v4>/);
    expect(signedInAsAnonymous.status).toBe(403);
  });

  it('lets only librarians reach the librarian routes', async () => {
    // Prepare
    const librarian = await runtime.identity.issue({
      sub: localAccounts.librarian.sub,
      groups: localAccounts.librarian.groups,
    });

    // Act
    const statuses = await Promise.all([
      call('GET', '/librarian/ingest-runs'),
      call('GET', '/librarian/ingest-runs', { token: tokenA }),
      call('GET', '/librarian/ingest-runs/1', { token: tokenA }),
      call('GET', '/librarian/ingest-runs', { token: librarian }),
    ]);

    // Assess
    expect(statuses.map((s) => s.status)).toEqual([401, 403, 403, 200]);
    expect(JSON.parse(statuses[1]!.text).message).toMatch(/librarians/);
  });

  it('gives a ready token for a printed local account at POST /local-auth/token', async () => {
    // Act
    const response = await fetch(`${runtime.url}/local-auth/token`, {
      method: 'POST',
      body: JSON.stringify({ username: 'librarian' }),
    });
    const { access_token: token, sub } = (await response.json()) as { access_token: string; sub: string };
    const unknown = await fetch(`${runtime.url}/local-auth/token`, {
      method: 'POST',
      body: JSON.stringify({ username: 'nobody' }),
    });

    // Assess
    expect(response.status).toBe(200);
    expect(sub).toBe(localAccounts.librarian.sub);
    expect((await call('GET', '/librarian/ingest-runs', { token })).status).toBe(200);
    expect(unknown.status).toBe(404);
  });

  it('answers forged, expired, wrong-audience and wrong-issuer tokens with 401, on JWT and reader-authorizer routes', async () => {
    // Prepare
    const jwks = (await (await fetch(runtime.identity.jwksUrl)).json()) as { keys: { kid: string }[] };
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    const librarianClaims = { sub: localAccounts.librarian.sub, groups: localAccounts.librarian.groups };
    const bad = {
      forged: await sign(otherKey, jwks.keys[0]!.kid, runtime.identity.issuer, librarianClaims),
      expired: await runtime.identity.issue({ ...librarianClaims, expiresInSeconds: -120 }),
      wrongAudience: await runtime.identity.issue({ ...librarianClaims, clientId: 'another-client' }),
      wrongIssuer: await sign(otherKey, 'k1', 'http://127.0.0.1:1', librarianClaims),
      notAToken: 'not-a-jwt',
    };
    const librarianId = localAccounts.librarian.sub;

    // Act
    const results: Record<string, number[]> = {};
    for (const [name, token] of Object.entries(bad)) {
      results[name] = [
        (await call('GET', '/librarian/ingest-runs', { token })).status,
        (await call('GET', `/readers/${librarianId}/recommendations`, { token })).status,
        (await call('POST', '/events', { token, body: events(librarianId, '1') })).status,
      ];
    }

    // Assess
    expect(results).toEqual({
      forged: [401, 401, 401],
      expired: [401, 401, 401],
      wrongAudience: [401, 401, 401],
      wrongIssuer: [401, 401, 401],
      notAToken: [401, 401, 401],
    });
  });

  it('merges the anonymous history into the account on sign-in, once', async () => {
    // Prepare
    const anon = anonymousId();
    await call('POST', '/events', { body: events(anon, bookIds[2]!, bookIds[3]!) });
    await historyOf(anon);

    // Act
    const first = await call('POST', `/readers/${subA}/merge`, { token: tokenA, body: { anonymousId: anon } });
    const again = await call('POST', `/readers/${subA}/merge`, { token: tokenA, body: { anonymousId: anon } });
    const list = await call('GET', `/readers/${subA}/recommendations`, { token: tokenA });

    // Assess
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ mergedEvents: 2, listMoved: true });
    expect(JSON.parse(again.text)).toEqual({ mergedEvents: 0, listMoved: false });
    expect(await itemsOf(tables.readers.localName, anon)).toEqual([]);
    expect(await itemsOf(tables.readers.localName, subA)).toEqual(['HISTORY', 'RECOMMENDATIONS']);
    expect(list.status).toBe(200);
  });

  it('records no events of a paused reader', async () => {
    // Prepare
    const paused = anonymousId();
    const control = anonymousId();
    await call('POST', `/readers/${paused}/history/pause`);

    // Act
    const sent = await call('POST', '/events', { body: events(paused, bookIds[4]!) });
    await call('POST', '/events', { body: events(control, bookIds[4]!) });
    await historyOf(control);

    // Assess
    expect(JSON.parse(sent.text)).toMatchObject({ accepted: 1, rejected: [] });
    expect(await itemsOf(tables.readers.localName, paused)).toEqual(['PRIVACY']);
  });

  it("deletes a signed-in reader's history, recommendations and conversations at once, and logs it", async () => {
    // Prepare
    await call('POST', '/events', { token: tokenA, body: events(subA, bookIds[5]!) });
    await call('POST', '/chat', { token: tokenA, body: { readerId: subA, message: 'a fantasy for kids' } });
    // The event must have been processed before the deletion, or the recommender would write it after.
    expect(await historyHolding(subA, bookIds[5]!)).toContain('RECOMMENDATIONS');
    expect((await itemsOf(tables.conversations.localName, subA)).length).toBeGreaterThan(0);

    // Act
    const deleted = await call('DELETE', `/readers/${subA}/history`, { token: tokenA });
    const { Contents = [] } = await s3.send(
      new ListObjectsV2Command({ Bucket: buckets.lake.localName, Prefix: 'deletions/' }),
    );

    // Assess
    expect(deleted.status).toBe(204);
    expect(await itemsOf(tables.readers.localName, subA)).toEqual([]);
    expect(await itemsOf(tables.conversations.localName, subA)).toEqual([]);
    expect(Contents.length).toBeGreaterThan(0);
    expect(Contents.every((object) => /^deletions\/dt=\d{4}-\d{2}-\d{2}\/\d{8}T\d{6}Z-/.test(object.Key ?? ''))).toBe(
      true,
    );
  });
});
