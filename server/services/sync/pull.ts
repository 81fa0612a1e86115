import type { AuditEntry } from '../../../shared/integrations/catalog.js';
import { pullRequestSchema, type PullRequest, type PullResponse, type SyncChange } from '../../../shared/sync.js';
import { listAuditForSync, toAuditEntry, type SyncAuditRow } from '../../db/auditLogs.js';
import { listConfigsSince, type ConfigRow } from '../../db/integrationConfigs.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartnerSnapshot } from '../../db/pool.js';
import { listTombstonesAfter, readSyncHead, type SyncHead } from '../../db/syncState.js';
import type { AppDeps } from '../../deps.js';
import { buildIntegrationDetail } from '../integrations/detail.js';
import { clientTakenError } from './results.js';
import { catalogFingerprint, compareChanges, decodeCursor, encodeCursor, isAfter, startPosition, syncSchemaVersion, type DecodedCursor, type SyncPosition } from './cursor.js';

/**
 * Whose changes are read, by whom. `client` is the puller's own user for `sync.pull` (the client
 * id must be theirs, and its last mutation id is reported); null for the dev partner's
 * read-only pull of another partner, which never touches push bookkeeping.
 */
export interface PullScope {
  partnerId: number;
  viewerPartnerId: number;
  client: { userId: number } | null;
}

export interface PullOptions {
  /** Tests: runs after the snapshot is taken, before the changes are read. */
  afterSnapshot?: () => Promise<void>;
}

/** A change not yet built: sorted and cut first, so only the page's own changes are built. */
interface Candidate {
  version: number;
  id: string;
  build(): SyncChange;
}

/**
 * One page of a partner's changes after the client's cursor, read in ONE snapshot (REPEATABLE
 * READ, READ ONLY) together with the partner's version and the client's last mutation id.
 *
 * Order is `(version, id)` over three sources: configurations (each at the version of its last
 * write), tombstones of deleted ones, and audit rows within the client's window. A first sync
 * (or a reset) starts with the catalog baseline: every registry entry with its state at the
 * snapshot, at version 0, so the client holds every entry before any tombstone can name one.
 * A cursor made for another catalog, schema, partner, or a version the server no longer has
 * (ahead of it, or under its reset horizon) answers `reset` with a fresh first page.
 */
export async function pullChanges(deps: AppDeps, scope: PullScope, rawInput: PullRequest, options: PullOptions = {}): Promise<PullResponse> {
  const input = pullRequestSchema.parse(rawInput);
  const fingerprint = catalogFingerprint(deps.registry);
  const decoded = input.cursor === null ? null : decodeCursor(input.cursor);
  const keys = deps.registry.list().map((i) => i.entry.key);

  const clientId = scope.client ? input.clientId : null;
  const checkClient = (head: SyncHead) => {
    if (scope.client && ((head.clientUserId !== null && head.clientUserId !== scope.client.userId) || head.clientElsewhere)) {
      throw clientTakenError();
    }
  };
  const usable = (cursor: DecodedCursor | null, head: SyncHead): cursor is DecodedCursor =>
    cursor !== null &&
    cursor.schema === syncSchemaVersion &&
    cursor.fingerprint === fingerprint &&
    cursor.partnerId === scope.partnerId &&
    cursor.version <= head.version &&
    cursor.version >= head.resetBelow;
  const respond = (head: SyncHead, reset: boolean, changes: SyncChange[], hasMore: boolean, next: SyncPosition): PullResponse => ({
    ...(reset ? { reset: true } : {}),
    changes,
    nextCursor: encodeCursor(fingerprint, scope.partnerId, next),
    hasMore,
    serverVersion: head.version,
    lastMutationId: scope.client ? head.lastMutationId : 0,
  });

  // Most pulls find nothing new: one statement, one round trip, answers them.
  if (decoded?.id === null) {
    const head = await readAsPartner(deps.db, scope.viewerPartnerId, (q) => readSyncHead(q, scope.partnerId, clientId));
    checkClient(head);
    if (usable(decoded, head) && decoded.version === head.version) {
      await options.afterSnapshot?.();
      return respond(head, false, [], false, decoded);
    }
  }

  return withPartnerSnapshot(deps.db, scope.viewerPartnerId, async (tx) => {
    const head = await readSyncHead(tx, scope.partnerId, clientId);
    checkClient(head);
    await options.afterSnapshot?.();

    const reset = input.cursor !== null && !usable(decoded, head);
    const position: SyncPosition = !reset && decoded ? decoded : startPosition;
    const response = (changes: SyncChange[], hasMore: boolean, next: SyncPosition) => respond(head, reset, changes, hasMore, next);
    // Caught up: nothing can lie after "everything through the current version".
    if (position.id === null && position.version === head.version) return response([], false, position);

    const limit = input.limit;
    // The baseline sits at version 0: still to send from the start or from inside it.
    const withBaseline = position.version < 0 || (position.version === 0 && position.id !== null);
    const configs = await listConfigsSince(tx, scope.partnerId, keys, withBaseline ? 0 : position.version);
    const tombstones = await listTombstonesAfter(tx, scope.partnerId, { keys, version: position.version, id: position.id, limit: limit + 1 });
    const audit =
      input.auditWindow > 0
        ? await listAuditForSync(tx, scope.partnerId, { keys, window: input.auditWindow, version: position.version, id: position.id, limit: limit + 1 })
        : [];

    const candidates: Candidate[] = [];
    const byKey = new Map<string, ConfigRow>(configs.map((r) => [r.integrationKey, r]));
    for (const integration of deps.registry.list()) {
      const key = integration.entry.key;
      const id = `integration:${key}`;
      const row = byKey.get(key);
      if (withBaseline && isAfter(position, 0, id)) {
        candidates.push({ version: 0, id, build: () => ({ kind: 'integration', version: 0, id, detail: buildIntegrationDetail(integration, row) }) });
      }
      if (row && isAfter(position, row.syncVersion, id)) {
        const version = row.syncVersion;
        candidates.push({ version, id, build: () => ({ kind: 'integration', version, id, detail: buildIntegrationDetail(integration, row) }) });
      }
    }
    for (const t of tombstones) {
      const id = `integration:${t.key}`;
      candidates.push({ version: t.syncVersion, id, build: () => ({ kind: 'integration_deleted', version: t.syncVersion, id, key: t.key }) });
    }
    for (const a of audit) {
      const id = `audit:${a.id}`;
      candidates.push({ version: a.syncVersion, id, build: () => ({ kind: 'audit', version: a.syncVersion, id, entry: auditEntry(a) }) });
    }
    candidates.sort(compareChanges);
    // Each source returned at most limit + 1 rows after the position, so if all of them together
    // fit in the page, every source is exhausted; otherwise there is at least one more change.
    const hasMore = candidates.length > limit;
    const page = candidates.slice(0, limit);
    const last = page.at(-1);
    const next: SyncPosition = hasMore && last ? { version: last.version, id: last.id } : { version: head.version, id: null };
    return response(
      page.map((c) => c.build()),
      hasMore,
      next,
    );
  });
}

function auditEntry(row: SyncAuditRow): AuditEntry {
  return toAuditEntry(row);
}

/** The partner's current version (what a change notification reports after it starts). */
export async function currentSyncVersion(deps: AppDeps, viewerPartnerId: number, partnerId: number): Promise<number> {
  return (await readAsPartner(deps.db, viewerPartnerId, (q) => readSyncHead(q, partnerId, null))).version;
}
