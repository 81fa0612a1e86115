import type { Queryable } from './pool.js';

// Sync reads of partner_sync_state and sync_tombstones (and the client row a pull reports on).
// Keyset conditions compare ids with COLLATE "C", the byte order the service sorts pages in.

export interface SyncHead {
  /** The partner's version at this snapshot (0: nothing written yet). */
  version: number;
  /** Cursors below this version must reset (see the migration). */
  resetBelow: number;
  /** The pulling client's registered user, null if the client never pushed. */
  clientUserId: number | null;
  lastMutationId: number;
  /** The client id is registered to another partner. */
  clientElsewhere: boolean;
}

/** The head of a partner's change stream and, when `clientId` is given, that client's state. */
export async function readSyncHead(db: Queryable, partnerId: number, clientId: string | null): Promise<SyncHead> {
  const { rows } = await db.query<SyncHead>(
    `SELECT coalesce(s.version, 0) AS version, coalesce(s.reset_below, 0) AS "resetBelow",
            c.user_id AS "clientUserId", coalesce(c.last_mutation_id, 0) AS "lastMutationId",
            (c.client_id IS NULL AND $2::uuid IS NOT NULL AND ic_sync_client_owned_elsewhere($2::uuid)) AS "clientElsewhere"
       FROM (SELECT 1) AS one
       LEFT JOIN partner_sync_state s ON s.partner_id = $1
       LEFT JOIN sync_clients c ON c.partner_id = $1 AND c.client_id = $2::uuid`,
    [partnerId, clientId],
  );
  const head = rows[0];
  if (!head) throw new Error('readSyncHead returned no row');
  return head;
}

export interface TombstoneRow {
  key: string;
  syncVersion: number;
}

/** Deleted configurations after a keyset position, in `(version, 'integration:' || key)` order. */
export async function listTombstonesAfter(
  db: Queryable,
  partnerId: number,
  page: { keys: readonly string[]; version: number; id: string | null; limit: number },
): Promise<TombstoneRow[]> {
  const { rows } = await db.query<TombstoneRow>(
    `SELECT entity_key AS key, sync_version AS "syncVersion" FROM sync_tombstones
      WHERE partner_id = $1 AND entity = 'integration' AND entity_key = ANY($2::text[])
        AND (sync_version > $3 OR (sync_version = $3 AND ('integration:' || entity_key) COLLATE "C" > $4))
      ORDER BY sync_version, ('integration:' || entity_key) COLLATE "C"
      LIMIT $5`,
    [partnerId, page.keys, page.version, page.id, page.limit],
  );
  return rows;
}
