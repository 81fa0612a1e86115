import { TRPCClientError } from '@trpc/client';
import { AppError } from '../../../../shared/errors.js';

/** The core did not answer at all (browser mode's process stopped, or the IPC bridge is gone). */
export const coreUnavailable = () =>
  new AppError('UNAVAILABLE', 'Integration Center’s local service is not responding. Restart the app; your drafts and cached data are kept.');

/**
 * The one place the renderer turns a local API failure into the AppError screens handle. The
 * core's error formatter puts the server-shaped body in `error.data` (shared/errors.ts
 * `trpcErrorDataSchema`); a client error without one means the core itself could not be reached.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof TRPCClientError) return AppError.fromTrpcData(error.data) ?? coreUnavailable();
  return new AppError('INTERNAL', error instanceof Error ? error.message : 'Something went wrong');
}

/** Runs a local API call, rejecting only with AppError. */
export async function local<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAppError(error);
  }
}
