import { loginOutputSchema, sessionUserSchema, type LoginInput, type LoginOutput, type SessionUser } from '../../../shared/auth.js';
import { AppError } from '../../../shared/errors.js';
import { TransportError } from '../sync/transport.js';

/**
 * The server calls the session needs, over the REST routes that exist today
 * (`POST /api/auth/login`, `GET /api/auth/me`). Every failure is a TransportError, so callers
 * tell "server down" from "wrong password" the same way the sync engine does.
 */
export interface ServerClient {
  login(input: LoginInput): Promise<LoginOutput>;
  me(token: string): Promise<SessionUser>;
}

export interface HttpOptions {
  serverUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function httpServerClient(options: HttpOptions): ServerClient {
  return {
    login: async (input) => loginOutputSchema.parse(await requestJson(options, 'POST', '/api/auth/login', { body: input })),
    me: async (token) => sessionUserSchema.parse(await requestJson(options, 'GET', '/api/auth/me', { token })),
  };
}

/** One JSON request with a timeout; errors classified for retry decisions. */
export async function requestJson(
  options: HttpOptions,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  extra: { body?: unknown; token?: string } = {},
): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (extra.body !== undefined) headers['content-type'] = 'application/json';
  if (extra.token) headers.authorization = `Bearer ${extra.token}`;
  let response: Response;
  try {
    response = await doFetch(new URL(pathAndQuery, options.serverUrl), {
      method,
      headers,
      body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new TransportError('offline', `The server cannot be reached (${error instanceof Error ? error.message : 'network error'})`);
  }
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : null;
  if (response.ok) return json;
  throw errorFromResponse(response, json);
}

/** Maps an error response (REST `{error}` or tRPC `{error: {data: {error}}}`) to a TransportError. */
export function errorFromResponse(response: Response, json: unknown): TransportError {
  const answer = serverError(json);
  const message = answer?.message ?? `The server answered ${response.status}`;
  const extra = { status: response.status, code: answer?.code, fields: answer?.fields, details: answer?.details, retryAfterMs: retryAfterMs(response) };
  if (response.status === 401) return new TransportError('unauthorized', message, extra);
  if (response.status === 429 || response.status >= 500) return new TransportError('transient', message, extra);
  return new TransportError('fatal', message, extra);
}

/** The server's own error, from a REST body (`{error}`) or a tRPC one (`{error: {data}}`). */
function serverError(json: unknown): AppError | null {
  const error = (json as { error?: { data?: unknown } } | null)?.error;
  return AppError.parseBody(error) ?? AppError.fromTrpcData(error?.data);
}

function retryAfterMs(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
