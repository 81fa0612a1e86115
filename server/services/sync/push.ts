import { AppError } from '../../../shared/errors.js';
import { pushRequestSchema, type MutationResult, type PushRequest, type PushResponse } from '../../../shared/sync.js';
import { withPartner } from '../../db/pool.js';
import { clientOwnedElsewhere, deleteAcknowledgedResults, findMutationResults, findSyncClient, insertSyncClient, type SyncClientRow } from '../../db/syncClients.js';
import type { AppDeps } from '../../deps.js';
import { applyMutation, TransientPushError, type Pusher } from './applyMutation.js';
import { clientTakenError, gapError, storedResult } from './results.js';
import { syncPushResults } from '../../metrics/metrics.js';

export type { Pusher };

/**
 * The client row for this push, registered on first use. A client id is bound to the partner
 * and user that first pushed with it: another user (or another partner, whose row RLS hides)
 * is refused, so nobody can read another cache's results or take over its numbering.
 * Results below the push's first id are acknowledged (see deleteAcknowledgedResults) and go.
 */
async function requireClient(deps: AppDeps, pusher: Pusher & { userId: number }, clientId: string, firstId: number): Promise<SyncClientRow> {
  return withPartner(deps.db, pusher.partnerId, async (tx) => {
    let row = await findSyncClient(tx, pusher.partnerId, clientId);
    if (!row) {
      if (await clientOwnedElsewhere(tx, clientId)) throw clientTakenError();
      row = await insertSyncClient(tx, pusher.partnerId, clientId, pusher.userId);
    }
    if (row.userId !== pusher.userId) throw clientTakenError();
    if (firstId > 1) await deleteAcknowledgedResults(tx, pusher.partnerId, clientId, firstId);
    return row;
  });
}

/**
 * `sync.push`: applies the client's mutations in id order, each exactly once. Ids at or below
 * the client's last one are replays and get their stored result; the first new id must be the
 * next one (a gap is a 409 with `mutation_gap`). Conflicts and rejections are results and
 * advance the queue. A transient failure stops the batch: the results so far are returned
 * (or, if there are none, a 503) and the client retries the rest.
 */
export async function pushMutations(deps: AppDeps, pusher: Pusher & { userId: number }, rawInput: PushRequest): Promise<PushResponse> {
  const input = pushRequestSchema.parse(rawInput);
  const first = input.mutations[0]?.id ?? 1;
  if (input.mutations.some((m, i) => m.id !== first + i)) {
    throw new AppError('VALIDATION_FAILED', 'Mutation ids must be consecutive and ascending', { fields: { mutations: ['Ids must be consecutive and ascending'] } });
  }
  const client = await requireClient(deps, pusher, input.clientId, first);
  let last = client.lastMutationId;
  if (first > last + 1) throw gapError(last);

  const replayIds = input.mutations.filter((m) => m.id <= last).map((m) => m.id);
  const stored = replayIds.length ? await withPartner(deps.db, pusher.partnerId, (tx) => findMutationResults(tx, pusher.partnerId, input.clientId, replayIds)) : new Map();

  const results: MutationResult[] = [];
  for (const m of input.mutations) {
    if (m.id <= client.lastMutationId) {
      results.push(storedResult(m.id, stored.get(m.id)));
      syncPushResults.inc({ result: 'replayed' });
      continue;
    }
    try {
      const result = await applyMutation(deps, pusher, input.clientId, m);
      results.push(result);
      syncPushResults.inc({ result: result.result });
      last = m.id;
    } catch (error) {
      if (!(error instanceof TransientPushError)) throw error;
      deps.log.warn({ clientId: input.clientId, mutationId: m.id, errorType: errorType(error.original) }, 'sync push stopped by a temporary failure');
      if (results.length === 0) throw new AppError('UNAVAILABLE', 'The server cannot apply changes right now; they will be retried', { retryAfterSeconds: 2 });
      break;
    }
  }
  return { results, lastMutationId: last };
}

function errorType(error: unknown): string {
  if (error instanceof Error) return (error as { code?: unknown }).code ? `${error.name}:${String((error as { code?: unknown }).code)}` : error.name;
  return typeof error;
}
