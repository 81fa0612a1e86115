import type { MutationResult } from '../../shared/sync.js';
import type { Queryable } from './pool.js';

// Push bookkeeping (sync_clients, sync_mutations). Every query names its partner and filters on
// it; row-level security is the backstop.

export interface SyncClientRow {
  userId: number;
  lastMutationId: number;
}

/** The client's row, optionally locked (FOR UPDATE) so mutation ids advance one at a time. */
export async function findSyncClient(db: Queryable, partnerId: number, clientId: string, options: { lock?: boolean } = {}): Promise<SyncClientRow | undefined> {
  const { rows } = await db.query<SyncClientRow>(
    `SELECT user_id AS "userId", last_mutation_id AS "lastMutationId" FROM sync_clients
      WHERE partner_id = $1 AND client_id = $2${options.lock ? ' FOR UPDATE' : ''}`,
    [partnerId, clientId],
  );
  return rows[0];
}

/**
 * Whether another partner already uses this client id (a SECURITY DEFINER check: RLS hides the
 * row itself). The transaction-scoped advisory lock makes two first registrations of the same id
 * take turns, so both cannot pass the check.
 */
export async function clientOwnedElsewhere(db: Queryable, clientId: string): Promise<boolean> {
  const { rows } = await db.query<{ elsewhere: boolean }>(
    `WITH locked AS (SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7007)))
     SELECT ic_sync_client_owned_elsewhere($1::uuid) AS elsewhere FROM locked`,
    [clientId],
  );
  return rows[0]?.elsewhere ?? false;
}

/** Registers a client for a user; returns the row that exists afterwards (ours or a racing insert's). */
export async function insertSyncClient(db: Queryable, partnerId: number, clientId: string, userId: number): Promise<SyncClientRow> {
  await db.query('INSERT INTO sync_clients (partner_id, client_id, user_id) VALUES ($1, $2, $3) ON CONFLICT (partner_id, client_id) DO NOTHING', [
    partnerId,
    clientId,
    userId,
  ]);
  const row = await findSyncClient(db, partnerId, clientId);
  if (!row) throw new Error('sync client row vanished after insert');
  return row;
}

/** Advances the client past `mutationId` (in the transaction that applied it). */
export async function advanceSyncClient(db: Queryable, partnerId: number, clientId: string, mutationId: number): Promise<void> {
  await db.query('UPDATE sync_clients SET last_mutation_id = $3, last_seen_at = now() WHERE partner_id = $1 AND client_id = $2', [
    partnerId,
    clientId,
    mutationId,
  ]);
}

export async function insertMutationResult(db: Queryable, partnerId: number, clientId: string, result: MutationResult): Promise<void> {
  await db.query('INSERT INTO sync_mutations (partner_id, client_id, mutation_id, result) VALUES ($1, $2, $3, $4)', [
    partnerId,
    clientId,
    result.id,
    JSON.stringify(result),
  ]);
}

/**
 * Forgets the results of mutations below `firstId`: the client has them (it pushes oldest first
 * and drops a mutation only with its result), so no replay will ask again.
 */
export async function deleteAcknowledgedResults(db: Queryable, partnerId: number, clientId: string, firstId: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sync_mutations WHERE partner_id = $1 AND client_id = $2 AND mutation_id < $3', [
    partnerId,
    clientId,
    firstId,
  ]);
  return rowCount ?? 0;
}

/** Stored results of the given mutation ids (replays), by id. */
export async function findMutationResults(db: Queryable, partnerId: number, clientId: string, ids: number[]): Promise<Map<number, unknown>> {
  const { rows } = await db.query<{ id: number; result: unknown }>(
    'SELECT mutation_id AS id, result FROM sync_mutations WHERE partner_id = $1 AND client_id = $2 AND mutation_id = ANY($3::bigint[])',
    [partnerId, clientId, ids],
  );
  return new Map(rows.map((r) => [r.id, r.result]));
}
