import type { PullResponse } from '../../../shared/sync.js';
import { applyChange, trimAuditWindow, wipeMirrors } from '../cache/pulledCatalog.js';
import { getMetaNumber, setMeta } from '../cache/syncMeta.js';
import type { CacheDb } from '../db/types.js';
import { reconcileStaleDrafts } from '../drafts/staleDrafts.js';

/**
 * Applies one pulled page and its cursor in ONE transaction: after a crash the cache holds
 * either the whole page with its cursor or neither, so the next pull continues exactly there.
 * A reset wipes the mirrors in the same transaction; the outbox is never touched, and drafts only
 * by `reconcileStaleDrafts` (a newer server version makes an unsent draft rebase or conflict).
 */
export function applyPullPage(db: CacheDb, page: PullResponse, options: { auditWindow: number; now: Date }): void {
  db.transaction(() => {
    if (page.reset) wipeMirrors(db);
    for (const change of page.changes) applyChange(db, change);
    if (page.changes.some((c) => c.kind === 'audit')) trimAuditWindow(db, options.auditWindow);
    setMeta(db, 'cursor', page.nextCursor);
    setMeta(db, 'serverVersion', page.serverVersion);
    setMeta(db, 'lastMutationAcked', Math.max(page.lastMutationId, getMetaNumber(db, 'lastMutationAcked') ?? 0));
    // "Last synced" means caught up, not "saw a page". Caught up, the mirror is at least as new
    // as any conflict a push answered before this pull, so drafts are checked against it then.
    if (!page.hasMore) {
      setMeta(db, 'lastSyncedAt', options.now.toISOString());
      reconcileStaleDrafts(db, options.now);
    }
  }).immediate();
}
