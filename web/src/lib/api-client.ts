import { z } from 'zod';

/** A failed API call: the HTTP status (0 when the API could not be reached) and a message fit to show a reader. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    message: string,
    /** HTTP status of the response; 0 when no response came back. */
    readonly status: number,
    /** The URL that was requested. */
    readonly url: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** True for 404 Not Found, so pages can show "not found" instead of a generic error. */
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface AuthOptions {
  /**
   * The bearer token of this request: a string sends `authorization: Bearer <token>`, null sends none (anonymous
   * events queued before a sign-in), undefined uses the client's `accessToken()`.
   */
  accessToken?: string | null;
}

export interface RequestOptions extends AuthOptions {
  /** Query string parameters; null and undefined values are left out. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

export interface PostOptions extends AuthOptions {
  signal?: AbortSignal;
  /** Lets the request outlive the page (fetch `keepalive`), for events sent as the reader leaves. */
  keepalive?: boolean;
}

export interface ApiClient {
  /** GETs `path` (e.g. "/books") under the API base URL and returns the body parsed by `schema`. */
  get<T>(path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  /** POSTs `body` as JSON to `path` and returns the answer parsed by `schema` (`undefined` for a 204). */
  post<T>(path: string, body: unknown, schema: z.ZodType<T>, options?: PostOptions): Promise<T>;
  /** PUTs `body` as JSON to `path` (replacing what is there) and returns the answer parsed by `schema`. */
  put<T>(path: string, body: unknown, schema: z.ZodType<T>, options?: PostOptions): Promise<T>;
  /** DELETEs `path` and returns the answer parsed by `schema` (`undefined` for a 204). */
  delete<T>(path: string, schema: z.ZodType<T>, options?: PostOptions): Promise<T>;
  /**
   * POSTs `body` as JSON to `path` and returns the response body as a stream (e.g. `text/event-stream`), once the
   * status says it succeeded; error statuses and network failures become ApiErrors as for `post`.
   */
  postStream(path: string, body: unknown, options?: PostOptions): Promise<ReadableStream<Uint8Array>>;
  /** The absolute or root-relative URL of `path`, for callers that cannot use fetch (`navigator.sendBeacon`). */
  urlOf(path: string): string;
}

export interface ApiClientOptions {
  /** "/api", "https://abc.execute-api.eu-west-1.amazonaws.com/prod", …; a trailing slash is ignored. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** The signed-in reader's access token, sent as `authorization: Bearer …`; null or undefined when anonymous. */
  accessToken?: () => string | null | undefined;
}

const errorBodySchema = z.object({ message: z.string().min(1) });

export function createApiClient({
  baseUrl,
  fetch: fetchImpl = globalThis.fetch,
  accessToken = () => null,
}: ApiClientOptions): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');

  /** `headers`, with the bearer token of the request (its own, else the signed-in reader's) when there is one. */
  function withAuth(headers: Record<string, string>, options: AuthOptions): Record<string, string> {
    const token = options.accessToken === undefined ? accessToken() : options.accessToken;
    return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
  }

  /** fetch, with network failures turned into ApiErrors of status 0 (a cancelled request stays an AbortError). */
  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetchImpl(url, init);
    } catch (error) {
      if (init.signal?.aborted) throw error; // a cancelled request is not an API failure
      throw new ApiError('Could not reach the Shelfwise API. Check your connection and try again.', 0, url, {
        cause: error,
      });
    }
  }

  /** The ApiError of a failed response: the API's `message` when it sent one, else the status line. */
  function errorOf(response: Response, body: ReturnType<typeof parseJson>, url: string): ApiError {
    const errorBody = errorBodySchema.safeParse(body.ok ? body.value : undefined);
    const message = errorBody.success
      ? errorBody.data.message
      : `The API answered ${response.status} ${response.statusText}`.trim();
    return new ApiError(message, response.status, url);
  }

  /** One request: network failures, error statuses, non-JSON and wrongly shaped bodies all become ApiErrors. */
  async function request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    path: string,
    schema: z.ZodType<T>,
    init: RequestInit,
  ) {
    const response = await send(url, init);
    const text = await response.text();
    const body: ReturnType<typeof parseJson> =
      response.status === 204 ? { ok: true, value: undefined } : parseJson(text);

    if (!response.ok) throw errorOf(response, body, url);
    if (!body.ok) {
      throw new ApiError(`${method} ${path} returned a body that is not JSON`, response.status, url, {
        cause: body.error,
      });
    }
    const parsed = schema.safeParse(body.value);
    if (!parsed.success) {
      throw new ApiError(
        `${method} ${path} returned a body of an unexpected shape:\n${z.prettifyError(parsed.error)}`,
        response.status,
        url,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  return {
    get(path, schema, options = {}) {
      return request('GET', buildUrl(base, path, options.query), path, schema, {
        headers: withAuth({ accept: 'application/json' }, options),
        signal: options.signal ?? null,
      });
    },
    post(path, body, schema, options = {}) {
      return request('POST', buildUrl(base, path), path, schema, {
        method: 'POST',
        headers: withAuth({ accept: 'application/json', 'content-type': 'application/json' }, options),
        body: JSON.stringify(body),
        signal: options.signal ?? null,
        keepalive: options.keepalive ?? false,
      });
    },
    put(path, body, schema, options = {}) {
      return request('PUT', buildUrl(base, path), path, schema, {
        method: 'PUT',
        headers: withAuth({ accept: 'application/json', 'content-type': 'application/json' }, options),
        body: JSON.stringify(body),
        signal: options.signal ?? null,
        keepalive: options.keepalive ?? false,
      });
    },
    delete(path, schema, options = {}) {
      return request('DELETE', buildUrl(base, path), path, schema, {
        method: 'DELETE',
        headers: withAuth({ accept: 'application/json' }, options),
        signal: options.signal ?? null,
        keepalive: options.keepalive ?? false,
      });
    },
    async postStream(path, body, options = {}) {
      const url = buildUrl(base, path);
      const response = await send(url, {
        method: 'POST',
        headers: withAuth({ accept: 'text/event-stream', 'content-type': 'application/json' }, options),
        body: JSON.stringify(body),
        signal: options.signal ?? null,
      });
      if (!response.ok) throw errorOf(response, parseJson(await response.text()), url);
      if (!response.body) throw new ApiError(`POST ${path} returned no body`, response.status, url);
      return response.body;
    },
    urlOf(path) {
      return buildUrl(base, path);
    },
  };
}

function buildUrl(base: string, path: string, query: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value != null) search.set(key, String(value));
  }
  const queryString = search.toString();
  return `${base}${path.startsWith('/') ? path : `/${path}`}${queryString ? `?${queryString}` : ''}`;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
}
