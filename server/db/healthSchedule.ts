import type { Health, IntegrationStatus } from '../../shared/integrations/catalog.js';
import type { StoredSettings } from './integrationConfigs.js';
import type { Queryable } from './pool.js';

// The health schedule (migration 20261122006000). Claims, placement and pruning span partners
// and run through withSystem; finishing a lease and rescheduling after a manual test run inside
// the partner's own transaction (withPartner), next to the health result they belong to.

/** A configuration claimed for one check: what the check needs, and the lease that proves it is ours. */
export interface ClaimedCheck {
  partnerId: number;
  integrationKey: string;
  leaseId: string;
  settings: StoredSettings;
  /** The settings version checked: a result for an older version is not recorded. */
  version: number;
  /** Status and health when claimed, to tell transitions apart in sweep summaries. */
  status: IntegrationStatus;
  health: Health;
}

/**
 * Claims up to `limit` due configurations for `owner`: `FOR UPDATE SKIP LOCKED` so concurrent
 * instances never wait for or take the same rows, and the claim moves `next_check_at` to the
 * end of the lease, so the row is not due for anyone else until then (or until released).
 * `keys` restricts the claim to integrations this instance can check (its registry).
 *
 * `perKey` says how many rows of each key this instance has room for (its free per-vendor
 * slots; a key not named: up to `limit`). Each key is claimed on its own (the earliest due rows of
 * that key), then the earliest `limit` of those are taken: claims never wait for a vendor slot,
 * so a vendor that hangs holds only its own slots, never the instance's global ones that the
 * other vendors' checks need. Rows locked for a key but beyond `limit` stay unclaimed (their lock
 * ends with this short transaction).
 */
export async function claimDueChecks(
  db: Queryable,
  claim: { owner: string; limit: number; leaseMs: number; keys: readonly string[]; perKey?: Readonly<Record<string, number>>; now?: Date },
): Promise<ClaimedCheck[]> {
  if (claim.limit <= 0) return [];
  const rooms = claim.keys
    .map((key) => ({ key, room: Math.min(claim.limit, Math.max(0, Math.floor(claim.perKey?.[key] ?? claim.limit))) }))
    .filter((k) => k.room > 0);
  if (rooms.length === 0) return [];
  const { rows } = await db.query<ClaimedCheck>(
    `WITH due AS (
       SELECT d.partner_id, d.integration_key
         FROM unnest($4::text[], $6::int[]) AS k(integration_key, room)
        CROSS JOIN LATERAL (
          SELECT s.partner_id, s.integration_key, s.next_check_at FROM integration_health_schedule s
           WHERE s.integration_key = k.integration_key AND s.next_check_at <= coalesce($5::timestamptz, now())
           ORDER BY s.next_check_at
           LIMIT k.room
           FOR UPDATE SKIP LOCKED) d
        ORDER BY d.next_check_at
        LIMIT $2)
     UPDATE integration_health_schedule s
        SET next_check_at = coalesce($5::timestamptz, now()) + make_interval(secs => $3::double precision / 1000),
            lease_id = gen_random_uuid(), lease_owner = $1, claimed_at = now()
       FROM due, integration_configurations c
      WHERE s.partner_id = due.partner_id AND s.integration_key = due.integration_key
        AND c.partner_id = s.partner_id AND c.integration_key = s.integration_key
      RETURNING s.partner_id AS "partnerId", s.integration_key AS "integrationKey", s.lease_id AS "leaseId",
                c.settings, c.version, c.status, c.health`,
    [claim.owner, claim.limit, claim.leaseMs, rooms.map((k) => k.key), claim.now ?? null, rooms.map((k) => k.room)],
  );
  return rows;
}

/** Gives newly configured integrations their first due time, spread over the interval. */
export async function placeNewSchedules(db: Queryable, intervalMs: number, limit = 1000): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE integration_health_schedule s
        SET next_check_at = now() + make_interval(secs => random() * $1::double precision / 1000)
       FROM (SELECT partner_id, integration_key FROM integration_health_schedule
              WHERE next_check_at IS NULL LIMIT $2 FOR UPDATE SKIP LOCKED) n
      WHERE s.partner_id = n.partner_id AND s.integration_key = n.integration_key`,
    [intervalMs, limit],
  );
  return rowCount ?? 0;
}

/**
 * Ends our lease after a check and sets the next due time: `nextCheckAt`, or with
 * `'settings-changed'` soon (ic_settings_changed_check_at, 5–60 s: the check was for settings
 * edited meanwhile, and the edit left our leased row to us). False when the lease is no longer
 * ours (it expired and another instance claimed the row) or the configuration is gone.
 */
export async function finishLease(db: Queryable, partnerId: number, key: string, leaseId: string, nextCheckAt: Date | 'settings-changed'): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE integration_health_schedule
        SET next_check_at = coalesce($4::timestamptz, ic_settings_changed_check_at()), lease_id = NULL, lease_owner = NULL, claimed_at = NULL
      WHERE partner_id = $1 AND integration_key = $2 AND lease_id = $3`,
    [partnerId, key, leaseId, nextCheckAt === 'settings-changed' ? null : nextCheckAt],
  );
  return (rowCount ?? 0) > 0;
}

/** Hands unfinished claims back (due now) so another instance takes them: a clean stop. */
export async function releaseLeases(db: Queryable, leases: readonly { partnerId: number; integrationKey: string; leaseId: string }[]): Promise<number> {
  if (leases.length === 0) return 0;
  const { rowCount } = await db.query(
    `UPDATE integration_health_schedule s SET next_check_at = now(), lease_id = NULL, lease_owner = NULL, claimed_at = NULL
       FROM unnest($1::bigint[], $2::text[], $3::uuid[]) AS r(partner_id, integration_key, lease_id)
      WHERE s.partner_id = r.partner_id AND s.integration_key = r.integration_key AND s.lease_id = r.lease_id`,
    [leases.map((l) => l.partnerId), leases.map((l) => l.integrationKey), leases.map((l) => l.leaseId)],
  );
  return rowCount ?? 0;
}

/**
 * After a check someone asked for: the next scheduled check comes no sooner than `notBefore`
 * (the result is fresh). A row leased by a running scheduled check is left to that check.
 */
export async function postponeCheck(db: Queryable, partnerId: number, key: string, notBefore: Date): Promise<void> {
  await db.query(
    `UPDATE integration_health_schedule SET next_check_at = GREATEST(next_check_at, $3)
      WHERE partner_id = $1 AND integration_key = $2 AND lease_id IS NULL`,
    [partnerId, key, notBefore],
  );
}

/**
 * Brings one configuration's next scheduled check forward to now: something the check reads
 * besides the vendor changed (a discovery run that finds mapped organizations gone). A leased
 * row is being checked already; an unplaced one is placed (and checked) by the scheduler anyway.
 */
export async function checkSoon(db: Queryable, partnerId: number, key: string): Promise<void> {
  await db.query(
    `UPDATE integration_health_schedule SET next_check_at = now()
      WHERE partner_id = $1 AND integration_key = $2 AND lease_id IS NULL AND next_check_at > now()`,
    [partnerId, key],
  );
}

/**
 * Makes unleased configurations (of the given keys) due now, for `health-sweep`: the ones never
 * placed yet, or with `unplacedOnly: false` (`--all`) every one. Due times are shuffled within
 * the last minute, so claims interleave partners: one partner's checks recorded side by side
 * would queue on its sync-version row lock.
 */
export async function markAllDue(db: Queryable, keys: readonly string[], options: { unplacedOnly: boolean }): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE integration_health_schedule SET next_check_at = now() - make_interval(secs => random() * 60)
      WHERE integration_key = ANY($1::text[]) AND lease_id IS NULL
        AND (next_check_at IS NULL OR (NOT $2 AND next_check_at > now()))`,
    [keys, options.unplacedOnly],
  );
  return rowCount ?? 0;
}

/** When the earliest placed row falls due (undefined when nothing is scheduled). */
export async function nextDueAt(db: Queryable, keys: readonly string[]): Promise<Date | undefined> {
  const { rows } = await db.query<{ at: Date | null }>(
    'SELECT min(next_check_at) AS at FROM integration_health_schedule WHERE integration_key = ANY($1::text[])',
    [keys],
  );
  return rows[0]?.at ?? undefined;
}
