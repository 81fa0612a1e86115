import { AppError, type ErrorCode, type FieldErrors } from '../../../shared/errors.js';

/**
 * What a failed mutation means for the push queue:
 * - `conflict`: the server's value moved on (or the configuration appeared/vanished): a result.
 * - `rejected`: the mutation itself cannot be applied (bad settings, no permission…): a result.
 * - `transient`: try again later (database unreachable, serialization failure, deadlock, a
 *   vendor hook that timed out): NOT a result; the push stops and the client retries.
 * Results are stored and advance the client's queue; transient failures leave it untouched.
 */
export type MutationOutcome =
  | { kind: 'conflict'; message: string }
  | { kind: 'rejected'; code: ErrorCode; message: string; fields?: FieldErrors }
  | { kind: 'transient'; error: unknown };

/**
 * SQLSTATEs that say "the same statement may succeed later": connection exceptions (08…),
 * serialization failure, deadlock, lock not available, statement timeout / cancel, operator
 * intervention (shutdown, recovery), insufficient resources (53…).
 */
const transientSqlState = /^(08|40001|40P01|55P03|57014|57P0[1-4]|53)/;

/** A Node network error code on the way to the database. */
const transientNetCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether an error is a temporary condition rather than an answer about the mutation. */
export function isTransient(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'UNAVAILABLE' || error.code === 'RATE_LIMITED';
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // pg's DatabaseError carries the server's SQLSTATE (five characters) and a severity.
    if ('severity' in error && code.length === 5) return transientSqlState.test(code);
    if (transientNetCodes.has(code)) return true;
  }
  // node-postgres reports a lost or refused connection as a plain Error with these messages.
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i.test(
    error.message,
  );
}

/**
 * Classifies a mutation's failure. The caller checks the integration key against the registry
 * first, so a 404 here means the configuration is missing (someone deleted it since the draft
 * started): a conflict the user resolves, not a rejection.
 */
export function outcomeOf(error: unknown): MutationOutcome {
  if (isTransient(error)) return { kind: 'transient', error };
  if (error instanceof AppError) {
    if (error.code === 'CONFLICT') return { kind: 'conflict', message: error.message };
    if (error.code === 'NOT_FOUND') return { kind: 'conflict', message: 'This integration is no longer configured on the server' };
    if (error.code !== 'INTERNAL') return { kind: 'rejected', code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  }
  return { kind: 'rejected', code: 'INTERNAL', message: 'The server could not apply this change; it has been logged' };
}

/**
 * Runs a sync request; a transient failure becomes a 503 the client retries (with Retry-After),
 * not a 500 logged as a bug.
 */
export async function unavailableIfTransient<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof AppError) && isTransient(error)) {
      // The cause goes with it, so the log can tell an unreachable database (a warning) from a bug.
      throw new AppError('UNAVAILABLE', 'The server cannot sync right now; it will be retried', { retryAfterSeconds: 2, cause: error });
    }
    throw error;
  }
}
