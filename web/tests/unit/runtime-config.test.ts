import { describe, expect, it } from 'vitest';

import { RuntimeConfigError, parseRuntimeConfig } from '../../src/config/runtime-config';

describe('parseRuntimeConfig', () => {
  it('accepts a same-origin path', () => {
    // Act
    const config = parseRuntimeConfig({ apiUrl: '/api' });

    // Assess
    expect(config).toEqual({ apiUrl: '/api' });
  });

  it('accepts an API Gateway URL and drops the trailing slash', () => {
    // Act
    const config = parseRuntimeConfig({ apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/' });

    // Assess
    expect(config.apiUrl).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/prod');
  });

  it('ignores keys it does not know', () => {
    expect(parseRuntimeConfig({ apiUrl: '/api', region: 'eu-west-1' })).toEqual({ apiUrl: '/api' });
  });

  it.each([
    ['a missing apiUrl', {}],
    ['an empty apiUrl', { apiUrl: '  ' }],
    ['a number', { apiUrl: 42 }],
    ['a relative path without a leading slash', { apiUrl: 'api' }],
    ['another protocol', { apiUrl: 'ftp://example.com/api' }],
    ['something that is not an object', 'apiUrl=/api'],
    ['null', null],
  ])('rejects %s with a RuntimeConfigError', (_case, value) => {
    // Act
    const parse = () => parseRuntimeConfig(value);

    // Assess
    expect(parse).toThrow(RuntimeConfigError);
    expect(parse).toThrow(/\/config\.json is invalid/);
  });

  it('takes the hosted sign-in settings (both together) and the local token URL', () => {
    // Act
    const config = parseRuntimeConfig({
      apiUrl: '/api',
      signInUrl: 'https://shelfwise-1.auth.eu-west-1.amazoncognito.com/',
      webClientId: 'client-1',
      localTokenUrl: '/local-auth/token',
    });

    // Assess
    expect(config).toEqual({
      apiUrl: '/api',
      signInUrl: 'https://shelfwise-1.auth.eu-west-1.amazoncognito.com',
      webClientId: 'client-1',
      localTokenUrl: '/local-auth/token',
    });
    expect(() => parseRuntimeConfig({ apiUrl: '/api', webClientId: 'client-1' })).toThrow(/go together/);
    expect(() => parseRuntimeConfig({ apiUrl: '/api', signInUrl: 'auth.example.com', webClientId: 'c' })).toThrow(
      /signInUrl must be an http\(s\) URL/,
    );
  });

  it('names the wrong field in the message', () => {
    expect(() => parseRuntimeConfig({ apiUrl: 'api' })).toThrow(
      /apiUrl must be a path starting with "\/"[\s\S]*apiUrl/,
    );
  });
});
