import { TRPCClientError } from '@trpc/client';
import { apiErrorBodySchema } from '../../../../shared/errors.js';
import { DataSourceError, asDataSourceError } from '../DataSourceError.js';

/** The core did not answer at all (browser mode's process stopped, or the IPC bridge is gone). */
export const coreUnavailable = () =>
  new DataSourceError({
    code: 'UNAVAILABLE',
    message: 'Integration Center’s local service is not responding. Restart the app; your drafts and cached data are kept.',
  });

function retryAfter(details: unknown): number | undefined {
  const value = (details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/**
 * A local API failure as the one error type screens handle. The core puts the server-shaped
 * body in `error.data.error` (`{code, message, fields, details}`); anything without one means
 * the core itself could not be reached.
 */
export function toDataSourceError(error: unknown): DataSourceError {
  if (error instanceof DataSourceError) return error;
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    const body = apiErrorBodySchema.safeParse((data as { error?: unknown } | null | undefined)?.error);
    if (body.success) return new DataSourceError(body.data, retryAfter(body.data.details));
    return coreUnavailable();
  }
  return asDataSourceError(error);
}

/** Runs a local API call, rejecting only with DataSourceError. */
export async function local<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toDataSourceError(error);
  }
}
