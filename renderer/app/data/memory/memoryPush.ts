import { AppError } from '../../../../shared/errors.js';
import type { AuditEntry, CatalogEntry } from '../../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import type { FieldChoice } from '../types.js';
import { auditChanges, checkServerRules } from './memoryRules.js';
import type { PartnerFixture, StoredConfig } from './partnerFixtures.js';
import { scopeKey, type MemoryDraft, type MemoryWorld } from './world.js';

export interface Actor {
  name: string;
  userId: number | null;
  at: string;
}

export function appendAudit(world: MemoryWorld, partnerId: number, key: string, actor: Actor, row: Pick<AuditEntry, 'action' | 'details'>) {
  const list = world.audit.get(scopeKey(partnerId, key)) ?? [];
  list.unshift({ id: world.nextId++, integrationKey: key, actor: actor.name, userId: actor.userId, createdAt: actor.at, ...row });
  world.audit.set(scopeKey(partnerId, key), list);
}

/**
 * The server's side of one push: a stale base is a conflict (the draft stays, with the server's
 * state), a rule failure rejects it (it stays, with the error), otherwise the change is applied
 * and audited and the draft is gone.
 */
export function pushDraft(world: MemoryWorld, partner: PartnerFixture, draft: MemoryDraft, actor: Actor): 'applied' | 'conflict' | 'rejected' {
  const entry = world.catalog.find((e) => e.key === draft.key);
  const current = partner.configs[draft.key];
  if (!entry) return reject(draft, AppError.fromBody({ code: 'NOT_FOUND', message: 'This integration no longer exists.' }));
  if ((current?.state.version ?? null) !== draft.baseVersion) {
    draft.state = 'conflict';
    draft.conflict = { settings: current?.settings ?? null, version: current?.state.version ?? null };
    return 'conflict';
  }
  if (draft.action === 'delete') {
    delete partner.configs[draft.key];
    appendAudit(world, partner.id, draft.key, actor, { action: 'deleted', details: { changes: auditChanges(entry.fields, current?.settings ?? null, null) } });
  } else {
    const settings = draft.settings ?? {};
    try {
      checkServerRules(entry, settings);
    } catch (error) {
      return reject(draft, error as AppError);
    }
    partner.configs[draft.key] = applySettings(current, settings, actor.at);
    const action = current ? 'reconfigured' : 'configured';
    appendAudit(world, partner.id, draft.key, actor, { action, details: { changes: auditChanges(entry.fields, current?.settings ?? null, settings) } });
  }
  world.drafts = world.drafts.filter((d) => d !== draft);
  return 'applied';
}

function reject(draft: MemoryDraft, error: AppError): 'rejected' {
  draft.state = 'rejected';
  draft.error = error.toBody();
  return 'rejected';
}

function applySettings(current: StoredConfig | undefined, settings: SettingsInput, at: string): StoredConfig {
  return {
    settings,
    state: {
      status: 'Configured',
      health: 'unknown',
      lastHealthCheck: current?.state.lastHealthCheck ?? null,
      lastOkAt: current?.state.lastOkAt ?? null,
      consecutiveFailures: 0,
      errorMessage: null,
      version: (current?.state.version ?? 0) + 1,
      updatedAt: at,
    },
  };
}

/**
 * Rebases a conflicting draft on the server's current version. For each field the choice
 * decides; a field without a choice takes the draft's value when the draft changed it, else the
 * server's (the non-overlapping merge).
 */
export function resolveDraft(entry: CatalogEntry, draft: MemoryDraft, current: StoredConfig | undefined, choices: Record<string, FieldChoice>, at: string) {
  if (draft.state !== 'conflict') throw AppError.fromBody({ code: 'BAD_REQUEST', message: 'This draft has no conflict to resolve.' });
  const server = current?.settings ?? null;
  if (draft.action !== 'delete') {
    const merged: SettingsInput = {};
    for (const spec of entry.fields) {
      const mine = draft.settings?.[spec.key];
      const theirs = server?.[spec.key];
      const draftChanged = mine !== draft.baseSettings?.[spec.key] || draft.replaced.includes(spec.key);
      const choice = choices[spec.key] ?? (draftChanged ? 'draft' : 'server');
      const value = choice === 'draft' ? mine : theirs;
      if (value !== undefined) merged[spec.key] = value;
    }
    draft.settings = merged;
    draft.replaced = draft.replaced.filter((k) => (choices[k] ?? 'draft') === 'draft');
  }
  draft.action = draft.action === 'delete' ? 'delete' : server ? 'reconfigure' : 'configure';
  draft.baseSettings = server;
  draft.baseVersion = current?.state.version ?? null;
  draft.state = 'draft';
  draft.conflict = null;
  draft.updatedAt = at;
}
