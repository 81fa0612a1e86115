import type { AuditPage, AuditPageInput, CatalogItem, PartnerRef } from '../../../shared/localApi.js';
import { auditPageInputSchema } from '../../../shared/localApi.js';
import { auditFromCache, getIntegration, listIntegrations } from '../cache/mirror.js';
import { getOpenDraftRow, listDraftRows, toDraft } from '../drafts/draftRows.js';
import { discardDraft, requireRow, reviewDraft, saveDraft } from '../drafts/drafts.js';
import { queueAllReviewed, queueDraft, resolveConflict } from '../drafts/outbox.js';
import { LocalError } from '../errors.js';
import type { SecretBox } from '../secrets/secretBox.js';
import type { DesktopSession } from '../session/session.js';
import { createSettingsService, type SettingsService } from '../settings/desktopSettings.js';
import type { LocalServices } from './contract.js';

/**
 * Server calls the local API needs beyond sync: the partner list for the dev partner and audit
 * pages older than the synced window (session/serverExtras.ts implements them over HTTP).
 */
export interface ServerExtras {
  listPartners?(): Promise<PartnerRef[]>;
  auditOlder?(input: Required<AuditPageInput>): Promise<AuditPage>;
}

/** The local API over the session's open cache. Writes go through the draft lifecycle only. */
export function createLocalServices(
  session: DesktopSession,
  box: SecretBox,
  extras: ServerExtras = {},
  settings: SettingsService = createSettingsService({ session }),
): LocalServices {
  const cache = () => session.requireCache();
  const writable = () => session.requireWritable();
  /** Applying a change starts a sync without making the UI wait for the network. */
  const kick = () => void writable().engine.requestSync();
  return {
    session: {
      status: () => session.status(),
      login: (input) => session.login(input),
      logout: (force) => session.logout(force),
      switchPartner: (partnerId) => session.switchPartner(partnerId),
      partners: async () => {
        if (!extras.listPartners) throw new LocalError('UNAVAILABLE', 'This server does not offer other partners yet');
        return extras.listPartners();
      },
    },
    catalog: {
      list: () => {
        const { db } = cache();
        const open = new Map(listDraftRows(db).filter((r) => r.state !== 'applied').map((r) => [r.integration_key, { id: r.id, state: r.state }]));
        return listIntegrations(db).map(({ fields: _fields, settings: _settings, ...summary }): CatalogItem => ({ ...summary, draft: open.get(summary.key) ?? null }));
      },
      get: (key) => {
        const { db } = cache();
        const detail = getIntegration(db, key);
        if (!detail) throw new LocalError('NOT_FOUND', 'Unknown integration');
        const row = getOpenDraftRow(db, key);
        return { detail, draft: row ? toDraft(db, row) : null };
      },
    },
    audit: {
      cached: (raw) => {
        const input = auditPageInputSchema.parse(raw);
        const rows = auditFromCache(cache().db, input.key, input.before, input.limit + 1);
        const entries = rows.slice(0, input.limit);
        return { entries, nextBefore: rows.length > input.limit ? (entries.at(-1)?.id ?? null) : null, source: 'cache' };
      },
      older: async (raw) => {
        const input = auditPageInputSchema.parse(raw);
        if (!extras.auditOlder) throw new LocalError('UNAVAILABLE', 'Older entries cannot be fetched from this server yet');
        return extras.auditOlder({ key: input.key, before: input.before ?? Number.MAX_SAFE_INTEGER, limit: input.limit });
      },
    },
    drafts: {
      list: () => {
        const { db } = cache();
        return listDraftRows(db).map((r) => toDraft(db, r));
      },
      get: (id) => {
        const { db } = cache();
        return toDraft(db, requireRow(db, id));
      },
      save: (input) => saveDraft(writable().db, box, input),
      review: (id) => reviewDraft(writable().db, box, id),
      discard: (id) => discardDraft(writable().db, id),
      applyDraft: async (id) => {
        const draft = queueDraft(writable().db, id);
        kick();
        return draft;
      },
      applyAll: async () => {
        const drafts = queueAllReviewed(writable().db);
        if (drafts.length > 0) kick();
        return drafts;
      },
      resolve: async (input) => {
        const draft = resolveConflict(writable().db, input);
        if (draft?.state === 'queued') kick();
        return draft;
      },
    },
    sync: {
      status: () => cache().engine.status(),
      now: () => cache().engine.requestSync(),
      focus: () => cache().engine.notifyFocus(),
    },
    settings,
    shell: {
      externalOrigins: () => {
        const origins = new Set<string>();
        const { db } = cache();
        for (const d of listIntegrations(db)) {
          for (const url of [d.docsUrl, ...d.links.map((l) => l.url)]) {
            if (url?.startsWith('https://')) origins.add(new URL(url).origin);
          }
        }
        return [...origins].sort();
      },
    },
  };
}
