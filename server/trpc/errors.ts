import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { AppError, httpStatusByErrorCode, type ApiErrorBody, type ErrorCode } from '../../shared/errors.js';
import { fieldErrorsFromZod, trpcCodeByErrorCode } from '../../shared/trpcErrors.js';
import { isDatabaseUnreachable } from '../db/unreachable.js';

const errorCodeByTrpcCode: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: 'BAD_REQUEST',
  BAD_REQUEST: 'BAD_REQUEST',
  // tRPC's own refusals of a request it cannot read (a text/plain body, a DELETE with no
  // content type): the caller's mistake, answered 400 with tRPC's safe message, never a 500.
  UNSUPPORTED_MEDIA_TYPE: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
};

/**
 * The tRPC side of an AppError: the TRPCError with the matching code, the AppError as its cause
 * (where `resolveApiError` finds it again). Applied to every procedure by the base middleware.
 */
export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeByErrorCode[error.code], message: error.message, cause: error });
}

/** What a client is told while the database is down or restarting, and when to try again. */
export const databaseUnavailableMessage = 'The server cannot reach its database right now; try again in a few seconds';
export const databaseRetryAfterSeconds = 5;

/**
 * Text PostgreSQL cannot store, which only a client sends: a NUL character (in text, 22021; in
 * jsonb, 22P05) or an unpaired UTF-16 surrogate escaped in JSON (jsonb refuses it, 22P02 with
 * a detail naming the surrogate). The statement failed, its transaction rolled back: a 400.
 */
function isUnstorableText(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  if (code === '22021' || code === '22P05') return true;
  return code === '22P02' && typeof detail === 'string' && /surrogate/i.test(detail);
}

export const unstorableTextMessage = 'Text cannot contain NUL characters (\\u0000) or unpaired surrogates';

export interface ResolvedApiError {
  status: number;
  body: ApiErrorBody;
  retryAfterSeconds?: number;
}

/**
 * The single mapping from any error to what a client sees (HTTP status, REST body, Retry-After).
 * Unexpected errors become a generic INTERNAL without their message, so no internal detail (or
 * secret) can leak through one.
 */
export function resolveApiError(error: unknown): ResolvedApiError {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof AppError) {
    return { status: cause.httpStatus, body: cause.toBody(), retryAfterSeconds: cause.retryAfterSeconds };
  }
  if (cause instanceof ZodError) {
    return {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'Some fields are not valid', fields: fieldErrorsFromZod(cause) },
    };
  }
  if (isUnstorableText(cause)) return { status: 400, body: { code: 'BAD_REQUEST', message: unstorableTextMessage } };
  if (isDatabaseUnreachable(cause)) {
    return { status: 503, body: { code: 'UNAVAILABLE', message: databaseUnavailableMessage }, retryAfterSeconds: databaseRetryAfterSeconds };
  }
  if (error instanceof TRPCError) {
    const code = errorCodeByTrpcCode[error.code];
    if (code) return { status: httpStatusByErrorCode[code], body: { code, message: error.message } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Something went wrong on the server; it has been logged' } };
}
