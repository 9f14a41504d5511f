import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultMaxBodyBytes } from '@shelfwise/lambdas/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGateway, routesOf } from '../src/api-gateway';
import { deployedFunctions } from '../src/lambda/functions';
import { recordingFunction } from './support/recording-functions';

const limited = recordingFunction(
  { id: 'Limited', triggers: [{ kind: 'http', method: 'POST', path: '/small', access: 'public', maxBodyBytes: 1024 }] },
  async () => ({ statusCode: 200, body: 'handled' }),
);
const unlimited = recordingFunction(
  { id: 'Default', triggers: [{ kind: 'http', method: 'POST', path: '/default', access: 'public' }] },
  async () => ({ statusCode: 200, body: 'handled' }),
);

/** POSTs `size` bytes, announced or chunked (no content-length), and returns the status and body. */
function post(baseUrl: string, path: string, size: number, chunked = false) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const body = Buffer.alloc(size, 'x');
    const headers = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) };
    const request = httpRequest(`${baseUrl}${path}`, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    // The gateway may answer and close before the whole body is sent.
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? undefined : reject(error)));
    if (chunked) for (let start = 0; start < size; start += 512) request.write(body.subarray(start, start + 512));
    else request.write(body);
    request.end();
  });
}

describe('the local API gateway', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    const api = createApiGateway({
      functions: [limited.fn, unlimited.fn],
      region: 'eu-west-1',
      authorizer: { verify: () => Promise.reject(new Error('no tokens in this test')) },
      onError: () => undefined,
    });
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      void api(request, response, url.pathname, url);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a body over the route limit with 413 before the handler runs, announced or streamed', async () => {
    // Act
    const announced = await post(baseUrl, '/small', 1025);
    const streamed = await post(baseUrl, '/small', 4096, true);
    const within = await post(baseUrl, '/small', 1024);

    // Assess
    const message = 'Request body too large: POST /small accepts at most 1024 bytes (1 KiB)';
    expect(announced).toEqual({ status: 413, body: JSON.stringify({ message }) });
    expect(streamed).toEqual({ status: 413, body: JSON.stringify({ message }) });
    expect(within).toEqual({ status: 200, body: 'handled' });
    expect(limited.received).toHaveLength(1);
  });

  it('applies the default limit to a route that sets none', async () => {
    // Act
    const over = await post(baseUrl, '/default', defaultMaxBodyBytes + 1);
    const within = await post(baseUrl, '/default', defaultMaxBodyBytes);

    // Assess
    expect(over.status).toBe(413);
    expect(within.status).toBe(200);
  });

  it('takes the limits of the deployed routes from their FunctionSpecs', () => {
    // Act
    const limits = Object.fromEntries(
      routesOf(deployedFunctions()).map((route) => [route.routeKey, route.maxBodyBytes]),
    );

    // Assess
    expect(limits['POST /chat']).toBe(16 * 1024);
    expect(limits['POST /events']).toBe(256 * 1024);
    expect(limits['POST /readers/{readerId}/merge']).toBe(defaultMaxBodyBytes);
  });
});
