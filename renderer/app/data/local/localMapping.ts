import type { IntegrationSummary } from '../../../../shared/integrations/catalog.js';
import type { SettingsView } from '../../../../shared/integrations/fields.js';
import type { CatalogItem, Draft as CoreDraft, LocalSyncStatus } from '../../../../shared/localApi.js';
import type { ApplySummary, Draft, DraftState, SyncStatus } from '../types.js';

/**
 * Translations between the core's local API shapes (shared/localApi.ts) and the UI's
 * (../types.ts). The UI's were written first, for the screens; the core's are the wire.
 */

export function toSummary({ draft: _draft, ...summary }: CatalogItem): IntegrationSummary {
  return summary;
}

export function toSyncStatus(status: LocalSyncStatus): SyncStatus {
  return {
    connection: status.connection === 'unknown' ? 'connecting' : status.connection,
    lastSyncedAt: status.lastSyncedAt,
    activity: status.activity,
    pendingCount: status.pendingDrafts,
    conflictCount: status.conflictDrafts,
    reviewMode: status.reviewMode,
    lastError: status.authRequired
      ? 'Your session has ended; sign in again to sync.'
      : status.connection === 'offline'
        ? 'The server can’t be reached; changes wait here until it answers.'
        : status.lastError,
  };
}

function draftState(draft: CoreDraft, pushing: boolean): DraftState {
  switch (draft.state) {
    case 'draft':
      // A failed review keeps it a draft with the reason: to the user it was refused, edit it.
      return draft.error ? 'rejected' : 'draft';
    case 'reviewed':
      return 'draft';
    case 'queued':
      return pushing ? 'pushing' : 'queued';
    case 'applied':
      return 'draft';
    case 'conflict':
    case 'rejected':
      return draft.state;
  }
}

/**
 * The draft's settings as a view like the server's: its plain values over the base, a secret
 * typed into it shown as set (its value stays in the core), other secrets as the base has them.
 */
function draftSettings(draft: CoreDraft): SettingsView | null {
  if (draft.kind === 'delete') return null;
  const view: SettingsView = { ...(draft.base ?? {}), ...draft.values };
  for (const field of draft.typedSecrets) view[field] = { isSet: true, last4: null };
  return view;
}

export function toDraft(draft: CoreDraft, name: string, pushing: boolean): Draft {
  return {
    id: String(draft.id),
    integrationKey: draft.integrationKey,
    integrationName: name,
    action: draft.kind,
    settings: draftSettings(draft),
    replacedSecrets: draft.typedSecrets,
    baseVersion: draft.baseVersion,
    state: draftState(draft, pushing),
    error: draft.error,
    conflict: draft.state === 'conflict' ? { base: draft.base, server: draft.server?.settings ?? null, serverVersion: draft.server?.state.version ?? null } : null,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
  };
}

/** How an "Apply" went, from each draft's state after the core's sync attempt. */
export function toApplySummary(drafts: readonly CoreDraft[]): ApplySummary {
  const summary: ApplySummary = { applied: 0, queued: 0, conflicts: 0, rejected: 0 };
  for (const d of drafts) {
    if (d.state === 'applied') summary.applied++;
    else if (d.state === 'queued') summary.queued++;
    else if (d.state === 'conflict') summary.conflicts++;
    else if (d.state === 'rejected' || d.error) summary.rejected++;
  }
  return summary;
}

/**
 * Audit cursors: `c:<id>` continues in the cached window, `s:<id>` asks the server for entries
 * older than the window (needs a connection).
 */
export function parseAuditCursor(cursor: string | null): { source: 'cache' | 'server'; before: number | undefined } {
  const match = cursor ? /^([cs]):([1-9][0-9]*)$/.exec(cursor) : null;
  if (!match) return { source: 'cache', before: undefined };
  return { source: match[1] === 's' ? 'server' : 'cache', before: Number(match[2]) };
}
