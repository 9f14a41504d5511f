/** Where tokens come from and whom they are for, read once at cold start by every handler with non-public routes. */
import { optionalString, requiredString, type Environment } from '../shared/config';
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';
import { buckets, tables } from '../shared/infrastructure';

export interface IdentitySettings {
  /** The token issuer: the Cognito user pool (`https://cognito-idp.<region>.amazonaws.com/<poolId>`) or the local one. */
  readonly issuer: string;
  /** The app client id: a token's `aud` (ID tokens) or `client_id` (access tokens) must be it. */
  readonly audience: string;
  /** The issuer's key set. @default `<issuer>/.well-known/jwks.json` (where Cognito and the local issuer serve it) */
  readonly jwksUrl: string;
}

export const identityEnv = {
  issuer: 'IDENTITY_ISSUER',
  audience: 'IDENTITY_AUDIENCE',
  jwksUrl: 'IDENTITY_JWKS_URL',
} as const;

export function identitySettingsFrom(env: Environment): IdentitySettings {
  const issuer = requiredString(env, identityEnv.issuer);
  return {
    issuer,
    audience: requiredString(env, identityEnv.audience),
    jwksUrl: optionalString(env, identityEnv.jwksUrl) ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
  };
}

export interface ReaderDataConfig {
  readonly readerTable: string;
  readonly conversationTable: string;
  readonly lakeBucket: string;
  /** Where the reader's reading records are (progress, loans, holds). */
  readonly database: DatabaseSettings;
}

/** The reader-data API's configuration (tables and bucket names come from lambdas/src/shared/infrastructure.ts). */
export function readerDataConfigFrom(env: Environment): ReaderDataConfig {
  return {
    readerTable: requiredString(env, tables.readers.envVar),
    conversationTable: requiredString(env, tables.conversations.envVar),
    lakeBucket: requiredString(env, buckets.lake.envVar),
    database: databaseSettingsFrom(env),
  };
}
