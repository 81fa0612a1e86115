import { TRPCClientError } from '@trpc/client';
import { apiErrorBodySchema, apiErrorSchema, type ApiErrorBody } from '../../../shared/errors.js';
import { TransportError } from '../sync/transport.js';

/**
 * THE place the core reads a server failure off the wire: an error thrown by the typed client (or by
 * fetch under it) plus the HTTP response it got, if any, as a TransportError.
 * - no response (refused, DNS, timeout): `offline`;
 * - 401: `unauthorized`; 429 or 5xx: `transient`; any other status: `fatal`;
 * with the server's `{code, message, fields, details}` (tRPC `error.data.error`, or a REST-shaped
 * `{error}` from Fastify itself) and its Retry-After.
 */
export function transportErrorFrom(error: unknown, response: Response | undefined): TransportError {
  if (error instanceof TransportError) return error;
  if (!response) {
    const cause = error instanceof TRPCClientError && error.cause instanceof Error ? error.cause : error;
    return new TransportError('offline', `The server cannot be reached (${cause instanceof Error ? cause.message : 'network error'})`);
  }
  const body = errorBody(error);
  const message = body?.message ?? `The server answered ${response.status}`;
  const extra = { status: response.status, code: body?.code, fields: body?.fields, details: body?.details, retryAfterMs: retryAfterMs(response) };
  if (response.status === 401) return new TransportError('unauthorized', message, extra);
  if (response.status === 429 || response.status >= 500) return new TransportError('transient', message, extra);
  if (response.ok) return new TransportError('transient', `The server answered something unexpected (${message})`, extra);
  return new TransportError('fatal', message, extra);
}

function errorBody(error: unknown): ApiErrorBody | null {
  if (!(error instanceof TRPCClientError)) return null;
  // The server's error formatter puts the REST error body at `data.error` (server/trpc/init.ts).
  const parsed = apiErrorBodySchema.safeParse(error.data?.error);
  if (parsed.success) return parsed.data;
  // Not a procedure's error: Fastify's own (body too large, malformed request) in the REST shape.
  const rest = apiErrorSchema.safeParse(error.meta?.responseJSON);
  return rest.success ? rest.data.error : null;
}

function retryAfterMs(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}
