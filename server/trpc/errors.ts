import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { fieldErrorsFromZod, trpcCodeByErrorCode } from '../../shared/trpcErrors.js';
import { httpStatusByErrorCode, type ApiErrorBody, type ErrorCode, type FieldErrors } from '../../shared/errors.js';

const errorCodeByTrpcCode: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: 'BAD_REQUEST',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
};

/** What an error means to a client; carried as the cause of the TRPCError. */
export class AppErrorInfo extends Error {
  override name = 'AppErrorInfo';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Builds the error to throw from services and procedures. The message is shown to users. */
export function appError(
  code: ErrorCode,
  message: string,
  extra: { fields?: FieldErrors; details?: unknown; retryAfterSeconds?: number } = {},
): TRPCError {
  return new TRPCError({
    code: trpcCodeByErrorCode[code],
    message,
    cause: new AppErrorInfo(code, message, extra.fields, extra.details, extra.retryAfterSeconds),
  });
}


export interface ResolvedApiError {
  status: number;
  body: ApiErrorBody;
  retryAfterSeconds?: number;
}

/**
 * The single mapping from any error to what a client sees. Unexpected errors become a generic
 * INTERNAL without their message, so no internal detail (or secret) can leak through one.
 */
export function resolveApiError(error: unknown): ResolvedApiError {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof AppErrorInfo) {
    const body: ApiErrorBody = { code: cause.code, message: cause.message };
    if (cause.fields) body.fields = cause.fields;
    if (cause.details !== undefined) body.details = cause.details;
    return { status: httpStatusByErrorCode[cause.code], body, retryAfterSeconds: cause.retryAfterSeconds };
  }
  if (cause instanceof ZodError) {
    return {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'Some fields are not valid', fields: fieldErrorsFromZod(cause) },
    };
  }
  if (error instanceof TRPCError) {
    const code = errorCodeByTrpcCode[error.code];
    if (code) return { status: httpStatusByErrorCode[code], body: { code, message: error.message } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Something went wrong on the server; it has been logged' } };
}
