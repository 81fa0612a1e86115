import type { Queryable } from '../db/pool.js';
import { findPrincipal, type PrincipalRow } from '../db/users.js';

export interface PrincipalLoader {
  find(userId: number): Promise<PrincipalRow | undefined>;
}

/**
 * Loads the user behind a token, remembering each answer for `ttlMs` (0: never). Every request
 * needs its user; a client sends many requests a second, and on a busy instance this lookup was
 * a third of a catalog read. The price is bounded staleness: a user disabled or deleted, or a
 * partner removed, is refused at most `ttlMs` later on this instance (AUTH_CACHE_TTL, 1 s by
 * default). Concurrent lookups of one user share a single query.
 */
export function createPrincipalLoader(db: Queryable, ttlMs: number, maxEntries = 10_000): PrincipalLoader {
  const entries = new Map<number, { row: Promise<PrincipalRow | undefined>; until: number }>();
  return {
    find(userId) {
      if (ttlMs <= 0) return findPrincipal(db, userId);
      const now = Date.now();
      const hit = entries.get(userId);
      if (hit && hit.until > now) return hit.row;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as number);
      const row = findPrincipal(db, userId);
      entries.set(userId, { row, until: now + ttlMs });
      // A failed lookup (database down) is not remembered.
      row.catch(() => entries.delete(userId));
      return row;
    },
  };
}
