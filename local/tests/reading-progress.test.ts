/**
 * Reading on `npm start` with the demo's own EPUBs: a demo book has a file made by the project, a signed-in reader
 * borrows it, downloads it through the signed URL, saves their place and reads it back as from another device;
 * another reader and anonymous callers are refused by the access rules.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../src/runtime';
import { freePorts } from './support/free-ports';

describe('reading progress and demo book files on the local stack', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  const [subA, subB] = [randomUUID(), randomUUID()];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-reading-progress-'));
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
    tokens[subA] = await runtime.identity.issue({ sub: subA });
    tokens[subB] = await runtime.identity.issue({ sub: subB });
  }, 180_000);

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function call(method: string, route: string, as?: string, body?: unknown) {
    const response = await fetch(`${runtime.apiUrl}${route}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it("lends a demo book's own EPUB and keeps the reader's place for every device, to that reader only", async () => {
    // Prepare
    const search = await call('GET', `/books?q=${encodeURIComponent('Pride and Prejudice')}&limit=1`);
    const bookId = String((search.body.items as { id: string }[])[0]!.id);
    const loan = await call('POST', `/readers/${subA}/loans`, subA, { bookId });
    const loanRoute = `/readers/${subA}/loans/${String(loan.body.id)}`;

    // Act
    const file = await call('GET', `${loanRoute}/file`, subA);
    const epub = new Uint8Array(await (await fetch(String(file.body.url))).arrayBuffer());
    const before = await call('GET', `${loanRoute}/progress`, subA);
    const saved = await call('PUT', `${loanRoute}/progress`, subA, {
      location: 'epubcfi(/6/6!/4/2/1:0)',
      progress: 0.3,
    });
    const otherDevice = await call('GET', `${loanRoute}/progress`, subA);
    const asOther = await call('GET', `${loanRoute}/progress`, subB);
    const otherWrites = await call('PUT', `/readers/${subB}/loans/${String(loan.body.id)}/progress`, subB, {
      location: 'epubcfi(/6/2!)',
      progress: 0.1,
    });
    const anonymous = await call('GET', `${loanRoute}/progress`);
    const invalid = await call('PUT', `${loanRoute}/progress`, subA, { location: '', progress: 2 });

    // Assess
    expect(file).toMatchObject({ status: 200, body: { format: 'EPUB' } });
    const opf = strFromU8(unzipSync(epub)['EPUB/package.opf']!);
    expect(opf).toContain('<dc:title>Pride and Prejudice</dc:title>');
    expect(before).toEqual({ status: 200, body: { progress: null } });
    expect(saved).toMatchObject({ status: 200, body: { bookId, location: 'epubcfi(/6/6!/4/2/1:0)', progress: 0.3 } });
    expect(otherDevice.body).toEqual({ progress: saved.body });
    expect(asOther.status).toBe(403);
    expect(otherWrites.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(invalid.status).toBe(400);
  });
});
