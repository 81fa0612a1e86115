import type { ApiErrorBody, ErrorCode, FieldErrors } from '../../../shared/errors.js';

/**
 * The one error type a DataSource throws: the API's error body (code, message, per-field
 * messages) plus what the UI needs to say when to retry. Network failures use `UNAVAILABLE`.
 */
export class DataSourceError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly details: unknown;

  constructor(body: ApiErrorBody, retryAfterSeconds?: number) {
    super(body.message);
    this.name = 'DataSourceError';
    this.code = body.code;
    this.fields = body.fields;
    this.details = body.details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The body as the API would send it, for places that display or store errors. */
  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

/** Normalises anything thrown into a DataSourceError, so screens handle one shape. */
export function asDataSourceError(error: unknown): DataSourceError {
  if (error instanceof DataSourceError) return error;
  const message = error instanceof Error ? error.message : 'Something went wrong';
  return new DataSourceError({ code: 'INTERNAL', message });
}
