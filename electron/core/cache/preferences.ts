import type { CacheDb } from '../db/types.js';

/** Keys of the preferences table: choices the user made in this cache. */
export type PreferenceKey = 'reviewMode';

export function getPreference(db: CacheDb, key: PreferenceKey): string | null {
  const row = db.prepare('SELECT value FROM preferences WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setPreference(db: CacheDb, key: PreferenceKey, value: string): void {
  db.prepare('INSERT INTO preferences (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
