import { AppError, type ErrorCode } from '../../shared/errors.js';
import { TransportError } from './sync/transport.js';

/** What the user reads when the server gave no answer of its own to pass on. */
export interface ServerFailureWords {
  /** The server could not be reached. */
  offline: string;
  /** The server no longer accepts the session; without it the server's own message is shown. */
  unauthorized?: string;
  /** Anything that is not a server answer at all (a bug, a response of the wrong shape). */
  unexpected?: string;
}

/** The code of a server answer that did not carry one of ours (a proxy's page, an old server). */
const codeByKind: Record<Exclude<TransportError['kind'], 'offline'>, ErrorCode> = {
  unauthorized: 'UNAUTHORIZED',
  transient: 'UNAVAILABLE',
  fatal: 'BAD_REQUEST',
};

/**
 * A failed server call as the AppError the local API answers with: the one place the core turns
 * what the server said (its code, message, per-field messages and Retry-After, which
 * server/serverErrors.ts reads off the wire) into the error the UI shows.
 */
export function serverFailure(error: unknown, words: ServerFailureWords): AppError {
  if (error instanceof AppError) return error;
  if (!(error instanceof TransportError)) return new AppError('INTERNAL', words.unexpected ?? 'The server answered something unexpected');
  if (error.kind === 'offline') return new AppError('UNAVAILABLE', words.offline);
  if (error.kind === 'unauthorized' && words.unauthorized) return new AppError('UNAUTHORIZED', words.unauthorized);
  const { code, fields, retryAfterMs } = error.extra;
  return new AppError(code ?? codeByKind[error.kind], error.message, {
    fields,
    // What the server attached (an action run's stored result, why an action is unavailable).
    details: error.extra.details,
    // The UI counts down whole seconds (a rate-limited sign-in says when to try again).
    retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}
