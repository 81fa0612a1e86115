import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { ZodError } from 'zod';
import type { ErrorCode, FieldErrors } from './errors.js';

/** The tRPC error code each of our error codes travels as (server and desktop core alike). */
export const trpcCodeByErrorCode: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  VALIDATION_FAILED: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  VENDOR_ERROR: 'BAD_GATEWAY',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** Turns zod issues into per-field messages keyed by dotted path ("_" for the whole input). */
export function fieldErrorsFromZod(error: Pick<ZodError, 'issues'>): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}
