import { randomUUID } from 'node:crypto';
import type { CacheDb } from '../db/types.js';

/** Keys of the sync_meta table. */
export type MetaKey =
  | 'clientId'
  | 'cursor'
  | 'serverVersion'
  | 'lastSyncedAt'
  /** The highest mutation id handed out to the outbox (ids never repeat for a client id). */
  | 'lastMutationIssued'
  /** The highest mutation id the server said it applied. */
  | 'lastMutationAcked';

export function getMeta(db: CacheDb, key: MetaKey): string | null {
  const row = db.prepare('SELECT value FROM sync_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function getMetaNumber(db: CacheDb, key: MetaKey): number | null {
  const value = getMeta(db, key);
  return value === null ? null : Number(value);
}

export function setMeta(db: CacheDb, key: MetaKey, value: string | number | null): void {
  if (value === null) db.prepare('DELETE FROM sync_meta WHERE key = ?').run(key);
  else db.prepare('INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, String(value));
}

/** The client id of this cache, made on first use; the server numbers our mutations under it. */
export function ensureClientId(db: CacheDb): string {
  const existing = getMeta(db, 'clientId');
  if (existing) return existing;
  const id = randomUUID();
  setMeta(db, 'clientId', id);
  return id;
}
