/** Configuration of the reading functions, read once at cold start. */
import { optionalInteger, optionalString, requiredString, type Environment } from '../shared/config';
import { ConfigurationError } from '../shared/errors';
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';
import { streams, tables } from '../shared/infrastructure';
import { defaultLendingRules, type LendingRules } from './domain/lending';

/** How book file URLs are signed: CloudFront signed URLs in AWS, HMAC-signed URLs served by `npm start`. */
export type UrlSigning =
  | { readonly kind: 'hmac'; readonly secret: string }
  | { readonly kind: 'cloudfront'; readonly keyPairId: string; readonly privateKeySecretArn: string };

export interface FileAccessConfig {
  /** Where book files are served: the CloudFront distribution's URL, or the local file route. */
  readonly baseUrl: string;
  /** Lifetime of a signed URL (never past the loan's due time). */
  readonly urlTtlSeconds: number;
  readonly signing: UrlSigning;
}

export const readingEnv = {
  loanDays: 'READING_LOAN_DAYS',
  maxLoans: 'READING_MAX_LOANS',
  holdReadyDays: 'READING_HOLD_READY_DAYS',
  filesUrl: 'BOOK_FILES_URL',
  urlTtlSeconds: 'BOOK_FILES_URL_TTL_SECONDS',
  hmacSecret: 'BOOK_FILES_HMAC_SECRET',
  keyPairId: 'BOOK_FILES_KEY_PAIR_ID',
  privateKeySecretArn: 'BOOK_FILES_PRIVATE_KEY_SECRET_ARN',
} as const;

export interface ReadingConfig {
  readonly database: DatabaseSettings;
  readonly rules: LendingRules;
  readonly streamName: string;
  readonly readerTable: string;
  /** Null where no files URL is configured: the file route answers 503. */
  readonly files: FileAccessConfig | null;
}

export function lendingRulesFrom(env: Environment): LendingRules {
  return {
    loanPeriodDays: optionalInteger(env, readingEnv.loanDays, defaultLendingRules.loanPeriodDays, 1),
    maxLoansPerReader: optionalInteger(env, readingEnv.maxLoans, defaultLendingRules.maxLoansPerReader, 1),
    holdReadyDays: optionalInteger(env, readingEnv.holdReadyDays, defaultLendingRules.holdReadyDays, 1),
  };
}

export function fileAccessFrom(env: Environment): FileAccessConfig | null {
  const baseUrl = optionalString(env, readingEnv.filesUrl);
  if (!baseUrl) return null;
  const urlTtlSeconds = optionalInteger(env, readingEnv.urlTtlSeconds, 300, 1);
  const secret = optionalString(env, readingEnv.hmacSecret);
  if (secret) {
    if (secret.length < 32) {
      throw new ConfigurationError(`Environment variable ${readingEnv.hmacSecret} must hold at least 32 characters`);
    }
    return { baseUrl, urlTtlSeconds, signing: { kind: 'hmac', secret } };
  }
  return {
    baseUrl,
    urlTtlSeconds,
    signing: {
      kind: 'cloudfront',
      keyPairId: requiredString(env, readingEnv.keyPairId),
      privateKeySecretArn: requiredString(env, readingEnv.privateKeySecretArn),
    },
  };
}

export function readingConfigFrom(env: Environment): ReadingConfig {
  return {
    database: databaseSettingsFrom(env),
    rules: lendingRulesFrom(env),
    streamName: requiredString(env, streams.readerEvents.envVar),
    readerTable: requiredString(env, tables.readers.envVar),
    files: fileAccessFrom(env),
  };
}

export interface OpdsConfig {
  readonly database: DatabaseSettings;
}

export function opdsConfigFrom(env: Environment): OpdsConfig {
  return { database: databaseSettingsFrom(env) };
}
