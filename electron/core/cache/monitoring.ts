import { defaultHealthRange, fleetSchema, type Fleet, type HealthHistory, type HealthRange } from '../../../shared/integrations/health.js';
import type { CacheDb } from '../db/types.js';

/**
 * Health history and the fleet matrix as last fetched from the server (migration 2). Like the
 * mirrors they are copies, safe to wipe; unlike them they are fetched on demand, not pulled.
 */

export interface CachedHistory {
  history: HealthHistory;
  /** The integration's lastHealthCheck (from the mirror) when this was fetched. */
  seenLastCheck: string | null;
  fetchedAt: string;
}

/**
 * The row of one integration and range. The table (migration 2) is keyed by integration alone;
 * other ranges than the default live under `key#range`, which no integration key can look like
 * (keys are lowercase identifiers), so each range shows offline without a schema change.
 */
const rowKey = (key: string, range: HealthRange) => (range === defaultHealthRange ? key : `${key}#${range}`);

/** A history cached before ranges existed (no `uptime`) is treated as absent: it is refetched. */
export function getCachedHistory(db: CacheDb, key: string, range: HealthRange = defaultHealthRange): CachedHistory | null {
  const row = db.prepare('SELECT history_json, seen_last_check, fetched_at FROM cached_health_history WHERE integration_key = ?').get(rowKey(key, range)) as
    | { history_json: string; seen_last_check: string | null; fetched_at: string }
    | undefined;
  if (!row) return null;
  const history = JSON.parse(row.history_json) as Partial<HealthHistory>;
  return history.uptime ? { history: history as HealthHistory, seenLastCheck: row.seen_last_check, fetchedAt: row.fetched_at } : null;
}

export function putCachedHistory(db: CacheDb, key: string, range: HealthRange, value: CachedHistory): void {
  db.prepare(
    `INSERT INTO cached_health_history (integration_key, history_json, seen_last_check, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (integration_key) DO UPDATE SET history_json = excluded.history_json, seen_last_check = excluded.seen_last_check, fetched_at = excluded.fetched_at`,
  ).run(rowKey(key, range), JSON.stringify(value.history), value.seenLastCheck, value.fetchedAt);
}

export interface CachedFleet {
  fleet: Fleet;
  fetchedAt: string;
}

export function getCachedFleet(db: CacheDb): CachedFleet | null {
  const row = db.prepare('SELECT fleet_json, fetched_at FROM cached_fleet WHERE id = 1').get() as { fleet_json: string; fetched_at: string } | undefined;
  if (!row) return null;
  // A matrix cached by an older version (no uptime per cell) is refetched rather than shown half.
  const fleet = fleetSchema.safeParse(JSON.parse(row.fleet_json));
  return fleet.success ? { fleet: fleet.data, fetchedAt: row.fetched_at } : null;
}

export function putCachedFleet(db: CacheDb, value: CachedFleet): void {
  db.prepare(
    `INSERT INTO cached_fleet (id, fleet_json, fetched_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET fleet_json = excluded.fleet_json, fetched_at = excluded.fetched_at`,
  ).run(JSON.stringify(value.fleet), value.fetchedAt);
}
