import type { Fleet, HealthHistory } from '../../../shared/integrations/health.js';
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

export function getCachedHistory(db: CacheDb, key: string): CachedHistory | null {
  const row = db.prepare('SELECT history_json, seen_last_check, fetched_at FROM cached_health_history WHERE integration_key = ?').get(key) as
    | { history_json: string; seen_last_check: string | null; fetched_at: string }
    | undefined;
  return row ? { history: JSON.parse(row.history_json) as HealthHistory, seenLastCheck: row.seen_last_check, fetchedAt: row.fetched_at } : null;
}

export function putCachedHistory(db: CacheDb, key: string, value: CachedHistory): void {
  db.prepare(
    `INSERT INTO cached_health_history (integration_key, history_json, seen_last_check, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (integration_key) DO UPDATE SET history_json = excluded.history_json, seen_last_check = excluded.seen_last_check, fetched_at = excluded.fetched_at`,
  ).run(key, JSON.stringify(value.history), value.seenLastCheck, value.fetchedAt);
}

export interface CachedFleet {
  fleet: Fleet;
  fetchedAt: string;
}

export function getCachedFleet(db: CacheDb): CachedFleet | null {
  const row = db.prepare('SELECT fleet_json, fetched_at FROM cached_fleet WHERE id = 1').get() as { fleet_json: string; fetched_at: string } | undefined;
  return row ? { fleet: JSON.parse(row.fleet_json) as Fleet, fetchedAt: row.fetched_at } : null;
}

export function putCachedFleet(db: CacheDb, value: CachedFleet): void {
  db.prepare(
    `INSERT INTO cached_fleet (id, fleet_json, fetched_at) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET fleet_json = excluded.fleet_json, fetched_at = excluded.fetched_at`,
  ).run(JSON.stringify(value.fleet), value.fetchedAt);
}
