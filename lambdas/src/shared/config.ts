/**
 * Typed getters over the environment. Each deployable's config module reads `process.env` through these once, at
 * cold start; domain code never reads the environment.
 */
import { ConfigurationError } from './errors';

export type Environment = Readonly<Record<string, string | undefined>>;

export function requiredString(env: Environment, name: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new ConfigurationError(`Environment variable ${name} is required but is not set`);
  }
  return value;
}

export function optionalString(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function optionalInteger(env: Environment, name: string, fallback: number, min = 0): number {
  const raw = optionalString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigurationError(`Environment variable ${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}
