import type { ErrorCode, FieldErrors } from '../../shared/errors.js';

/**
 * An error the local API shows to the user as is: a code of shared/errors.ts, a message, and
 * per-field messages where a form can show them. The local router maps it to a tRPC error.
 */
export class LocalError extends Error {
  override name = 'LocalError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
