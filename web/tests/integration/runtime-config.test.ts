import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RuntimeConfigError, loadRuntimeConfig } from '../../src/config/runtime-config';
import { sendJson, startHttpServer, type TestServer } from '../support/http-server';

describe('loadRuntimeConfig against a real HTTP server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      switch (request.url) {
        case '/good/config.json':
          return sendJson(response, 200, { apiUrl: '/api/' });
        case '/bad/config.json':
          return sendJson(response, 200, { apiUrl: 3 });
        case '/html/config.json':
          response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html></html>');
          return;
        default:
          return sendJson(response, 404, { message: 'Not Found' });
      }
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('loads and validates a good config', async () => {
    await expect(loadRuntimeConfig(`${server.url}/good/config.json`)).resolves.toEqual({ apiUrl: '/api' });
  });

  it.each([
    ['missing', '/missing/config.json', /answered 404 Not Found/],
    ['invalid', '/bad/config.json', /is invalid:[\s\S]*apiUrl/],
    ['not JSON (an SPA fallback page)', '/html/config.json', /is not JSON \(it starts with "<!doctype html>/],
  ])('fails with a clear RuntimeConfigError when the file is %s', async (_case, path, message) => {
    // Act
    const error = await loadRuntimeConfig(`${server.url}${path}`).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(RuntimeConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
