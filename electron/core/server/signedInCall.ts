import { AppError } from '../../../shared/errors.js';
import { serverFailure, type ServerFailureWords } from '../errors.js';
import type { ServerAccess } from './contract.js';
import { callServer, type HttpOptions, type ServerApi } from './serverApi.js';

/** One server call as the signed-in user: `timeoutMs` overrides the caller's default for this call. */
export type SignedInCall = <T>(run: (api: ServerApi) => Promise<T>, timeoutMs?: number) => Promise<T>;

/**
 * What every online-only service of the core does before and after a server call, written once:
 * refuse without a session or with an ended one, send the session's token (the partner is the
 * token's), and turn a transport failure into the service's own words (`failures.offline` …).
 */
export function signedInCaller(http: HttpOptions, access: () => ServerAccess | null, failures: ServerFailureWords & { unauthorized: string }, defaultTimeoutMs?: number): SignedInCall {
  return async (run, timeoutMs) => {
    const a = access();
    if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (!a.token) throw new AppError('UNAUTHORIZED', failures.unauthorized);
    const timeout = timeoutMs ?? defaultTimeoutMs;
    try {
      return await callServer(http, { token: a.token, ...(timeout ? { timeoutMs: timeout } : {}) }, run);
    } catch (error) {
      throw serverFailure(error, failures);
    }
  };
}
