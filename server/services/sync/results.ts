import { AppError } from '../../../shared/errors.js';
import { mutationResultSchema, type ClientTakenDetails, type MutationGapDetails, type MutationResult } from '../../../shared/sync.js';

/** The 409 a push gets when its first mutation id skips ahead of the server's last one. */
export function gapError(lastMutationId: number) {
  const details: MutationGapDetails = { reason: 'mutation_gap', lastMutationId };
  return new AppError('CONFLICT', `Changes are missing before this one: the server has applied up to ${lastMutationId}`, { details });
}

/** The 403 for a client id bound to another user or partner (see shared/sync.ts). */
export function clientTakenError() {
  const details: ClientTakenDetails = { reason: 'client_taken' };
  return new AppError('FORBIDDEN', 'This sync client belongs to another user; start a new cache', { details });
}

/**
 * The stored answer to a replayed mutation. Results go only once the client has acknowledged
 * them (pushed past them), so a missing one means a client replaying what it already had, or
 * tampered bookkeeping; it gets a rejection rather than a wedged queue.
 */
export function storedResult(id: number, stored: unknown): MutationResult {
  const parsed = mutationResultSchema.safeParse(stored);
  if (parsed.success && parsed.data.id === id) return parsed.data;
  return { id, result: 'rejected', code: 'CONFLICT', message: 'This change was already processed, but its result is no longer known' };
}
