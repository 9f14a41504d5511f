import { z } from 'zod';

/** Where the app reads its runtime config: written next to index.html by `npm start` locally and by the CDK app in AWS. */
export const RUNTIME_CONFIG_PATH = '/config.json';

const apiUrlSchema = z
  .string({ error: 'apiUrl must be a string, e.g. "/api" or "https://abc123.execute-api.eu-west-1.amazonaws.com"' })
  .trim()
  .min(1, 'apiUrl must not be empty')
  .refine((value) => value.startsWith('/') || /^https?:\/\/[^/]/.test(value), {
    error: 'apiUrl must be a path starting with "/" (e.g. "/api") or an http(s) URL',
  })
  // Paths are appended to it ("/books"), so a trailing slash would double.
  .transform((value) => value.replace(/\/+$/, ''));

const httpUrlSchema = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .refine((value) => /^https?:\/\/[^/]/.test(value), { error: `${name} must be an http(s) URL` })
    .transform((value) => value.replace(/\/+$/, ''));

export const runtimeConfigSchema = z
  .object({
    /** Base URL of the reader API, without a trailing slash: "/api" locally, the API Gateway URL in AWS. */
    apiUrl: apiUrlSchema,
    /**
     * Cognito's hosted sign-in base URL (the API stack's `SignInUrl` output, e.g.
     * "https://shelfwise-123456789012.auth.eu-west-1.amazoncognito.com"; its host is the sign-in domain), for the
     * authorization-code flow with PKCE. With `webClientId`; without both, readers cannot sign in.
     */
    signInUrl: httpUrlSchema('signInUrl').optional(),
    /** The web app's Cognito app client id (the API stack's `WebClientId` output). */
    webClientId: z.string({ error: 'webClientId must be a string' }).trim().min(1).optional(),
    /** `npm start` only: the local token issuer's `POST /local-auth/token`, for the local sign-in form. */
    localTokenUrl: apiUrlSchema.optional(),
  })
  .refine((config) => (config.signInUrl === undefined) === (config.webClientId === undefined), {
    error: 'signInUrl and webClientId go together: set both (hosted sign-in) or neither',
  });

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
}

/** Validates the parsed contents of config.json; the error message names every wrong field. */
export function parseRuntimeConfig(value: unknown, source = RUNTIME_CONFIG_PATH): RuntimeConfig {
  const result = runtimeConfigSchema.safeParse(value);
  if (!result.success) {
    throw new RuntimeConfigError(`${source} is invalid:\n${z.prettifyError(result.error)}`, { cause: result.error });
  }
  return result.data;
}

/** Fetches and validates config.json. Every failure becomes a RuntimeConfigError that says what to fix. */
export async function loadRuntimeConfig(
  url = RUNTIME_CONFIG_PATH,
  fetchImpl: typeof fetch = fetch,
): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch (error) {
    throw new RuntimeConfigError(`Could not load ${url}: ${String(error)}`, { cause: error });
  }
  if (!response.ok) {
    throw new RuntimeConfigError(
      `Could not load ${url}: the server answered ${response.status} ${response.statusText}`,
    );
  }
  const text = await response.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RuntimeConfigError(`${url} is not JSON (it starts with ${JSON.stringify(text.slice(0, 40))})`, {
      cause: error,
    });
  }
  return parseRuntimeConfig(value, url);
}
