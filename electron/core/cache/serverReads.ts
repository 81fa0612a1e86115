import type { z } from 'zod';
import type { CacheDb } from '../db/types.js';

/**
 * Documents fetched from the server beyond sync (migration 3): the clients list, each
 * integration's mappings, snapshot and newest discovery run. Copies, safe to wipe; a document
 * that no longer parses (written by an older version) reads as absent and is refetched.
 */
export interface CachedRead<T> {
  value: T;
  fetchedAt: string;
}

export function getCachedRead<S extends z.ZodType>(db: CacheDb, name: string, schema: S): CachedRead<z.infer<S>> | null {
  const row = db.prepare('SELECT json, fetched_at FROM cached_reads WHERE name = ?').get(name) as { json: string; fetched_at: string } | undefined;
  if (!row) return null;
  const parsed = schema.safeParse(JSON.parse(row.json));
  return parsed.success ? { value: parsed.data, fetchedAt: row.fetched_at } : null;
}

export function putCachedRead(db: CacheDb, name: string, value: unknown, fetchedAt: string): void {
  db.prepare(
    `INSERT INTO cached_reads (name, json, fetched_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET json = excluded.json, fetched_at = excluded.fetched_at`,
  ).run(name, JSON.stringify(value), fetchedAt);
}
