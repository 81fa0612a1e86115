import { z } from 'zod';

/**
 * Every error the API returns, over tRPC and REST alike, carries one of these codes.
 * The HTTP status of each is fixed here so the REST bridge and clients agree.
 */
export const errorCodes = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'VENDOR_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const httpStatusByErrorCode: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  /** The vendor refused or failed a call we made for the user; the message is the vendor's, credentials kept out. */
  VENDOR_ERROR: 502,
  INTERNAL: 500,
};

/** Per-field messages keyed by the dotted path of the field ("settings.subdomain"). */
export const fieldErrorsSchema = z.record(z.string(), z.array(z.string()));
export type FieldErrors = z.infer<typeof fieldErrorsSchema>;

export const apiErrorBodySchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  fields: fieldErrorsSchema.optional(),
  /** Machine-readable extras, e.g. the current server state on a version conflict. */
  details: z.unknown().optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** The JSON body of every non-2xx REST response: `{ "error": { code, message, fields? } }`. */
export const apiErrorSchema = z.object({ error: apiErrorBodySchema });
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * What a tRPC error response carries in `error.data` (the server's and the desktop core's error
 * formatters both produce it): the body in the REST shape, and when to retry if the caller must wait.
 */
export const trpcErrorDataSchema = z.object({ error: apiErrorBodySchema, retryAfterSeconds: z.number().positive().optional() });
export type TrpcErrorData = z.infer<typeof trpcErrorDataSchema>;

/** What an AppError carries besides its code and message. */
export interface AppErrorExtra {
  fields?: FieldErrors;
  details?: unknown;
  retryAfterSeconds?: number;
  /** What went wrong underneath (logged by the server, never sent to clients). */
  cause?: unknown;
}

/**
 * The one error the product throws on purpose, on the server, in the desktop core and in the UI:
 * a code of `errorCodes`, a message shown to users as is, and optional per-field messages,
 * details and retry delay. It knows no transport: the server's tRPC and HTTP edges map it
 * (server/trpc/errors.ts), the desktop core's local API does the same, and clients rebuild it
 * from the wire with `fromBody` / `fromTrpcData`.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, extra: AppErrorExtra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.code = code;
    this.fields = extra.fields;
    this.details = extra.details;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }

  /** The HTTP status its code travels as. */
  get httpStatus(): number {
    return httpStatusByErrorCode[this.code];
  }

  /** The body as the API sends it (`retryAfterSeconds` travels beside it, not in it). */
  toBody(): ApiErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }

  /** An AppError from an error body already typed as one. */
  static fromBody(body: ApiErrorBody, retryAfterSeconds?: number): AppError {
    return new AppError(body.code, body.message, { fields: body.fields, details: body.details, retryAfterSeconds });
  }

  /**
   * The one place a client turns a wire error back into an AppError: `value` is an API error
   * body (REST's `error`) or, with `fromTrpcData`, a tRPC error's `data`. Null when it is not one.
   */
  static parseBody(value: unknown, retryAfterSeconds?: number): AppError | null {
    const body = apiErrorBodySchema.safeParse(value);
    return body.success ? AppError.fromBody(body.data, retryAfterSeconds) : null;
  }

  /** See `parseBody`: the `data` of a tRPC error from our server or the desktop core. */
  static fromTrpcData(data: unknown): AppError | null {
    const parsed = trpcErrorDataSchema.safeParse(data);
    return parsed.success ? AppError.fromBody(parsed.data.error, parsed.data.retryAfterSeconds) : null;
  }
}
