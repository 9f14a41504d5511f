import { describe, expect, it } from 'vitest';
import { optionalInteger, requiredString } from '../../src/shared/config';
import { databaseSettingsFrom } from '../../src/shared/db/pool';
import { ConfigurationError } from '../../src/shared/errors';

describe('config getters', () => {
  it('name the missing variable', () => {
    expect(() => requiredString({}, 'READER_TABLE')).toThrow(
      new ConfigurationError('Environment variable READER_TABLE is required but is not set'),
    );
  });

  it('reject a malformed integer, quoting it', () => {
    expect(() => optionalInteger({ N: 'x' }, 'N', 1)).toThrow(
      'Environment variable N must be an integer >= 0, got "x"',
    );
    expect(optionalInteger({}, 'N', 7)).toBe(7);
  });
});

describe('databaseSettingsFrom', () => {
  it('prefers a connection string, else the cluster secret', () => {
    expect(databaseSettingsFrom({ DATABASE_URL: 'postgres://x' })).toEqual({
      kind: 'url',
      url: 'postgres://x',
      poolMax: 2,
    });
    expect(databaseSettingsFrom({ DATABASE_SECRET_ARN: 'arn:secret', DATABASE_POOL_MAX: '5' })).toEqual({
      kind: 'secret',
      secretArn: 'arn:secret',
      poolMax: 5,
    });
  });

  it('names both variables when neither is set', () => {
    expect(() => databaseSettingsFrom({})).toThrow(/DATABASE_URL or DATABASE_SECRET_ARN/);
  });
});
