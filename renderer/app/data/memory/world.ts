import type { ApiErrorBody } from '../../../../shared/errors.js';
import type { AuditChange, AuditEntry, CatalogEntry } from '../../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import type { Draft, DraftAction, DraftState, HealthSample } from '../types.js';
import { catalogFixtures } from './catalogFixtures.js';
import { auditFixture, healthHistoryFixture } from './historyFixtures.js';
import { maskSettings } from './memoryRules.js';
import { ACME_ID, partnerFixtures, type PartnerFixture, type StoredConfig } from './partnerFixtures.js';

/** A draft as the fake core holds it: settings in clear (they are fake), plus its base. */
export interface MemoryDraft {
  id: string;
  partnerId: number;
  key: string;
  action: DraftAction;
  settings: SettingsInput | null;
  replaced: string[];
  baseVersion: number | null;
  baseSettings: SettingsInput | null;
  state: DraftState;
  error: ApiErrorBody | null;
  conflict: { settings: SettingsInput | null; version: number | null } | null;
  createdAt: string;
  updatedAt: string;
}

/** Everything the in-memory source knows: the "server" state and the "core's" drafts. */
export interface MemoryWorld {
  catalog: CatalogEntry[];
  partners: PartnerFixture[];
  audit: Map<string, AuditEntry[]>;
  history: Map<string, HealthSample[]>;
  drafts: MemoryDraft[];
  nextId: number;
}

export const scopeKey = (partnerId: number, key: string) => `${partnerId}:${key}`;

function fixtureDrafts(now: Date, acme: PartnerFixture): MemoryDraft[] {
  const at = (min: number) => new Date(now.getTime() - min * 60_000).toISOString();
  const syncro = acme.configs.syncro?.settings ?? {};
  const huntress = acme.configs.huntress?.settings ?? {};
  const syncroBase = { ...syncro, ticket_status: 'New', sync_assets: true };
  const common = { partnerId: ACME_ID, error: null, conflict: null };
  return [
    {
      ...common, id: 'd-1', key: 'huntress', action: 'reconfigure', state: 'draft',
      settings: { ...huntress, api_key: 'hk_acme_02', api_secret: 'hs-rotated-9090', include_low: true },
      replaced: ['api_secret'], baseVersion: 2, baseSettings: huntress, createdAt: at(42), updatedAt: at(40),
    },
    {
      ...common, id: 'd-2', key: 'ninjaone', action: 'configure', state: 'draft',
      settings: { region: 'eu', client_id: 'acme-ninja-client', client_secret: 'ns-secret-7731' },
      replaced: ['client_secret'], baseVersion: null, baseSettings: null, createdAt: at(35), updatedAt: at(35),
    },
    {
      ...common, id: 'd-3', key: 'syncro', action: 'reconfigure', state: 'conflict',
      settings: { ...syncroBase, ticket_status: 'Scheduled' }, replaced: [], baseVersion: 6, baseSettings: syncroBase,
      conflict: { settings: syncro, version: 7 }, createdAt: at(180), updatedAt: at(20),
    },
  ];
}

function secretKeyOf(key: string): string {
  return catalogFixtures.find((e) => e.key === key)?.fields.find((f) => f.kind === 'Secret')?.key ?? 'secret';
}

/** A plausible past edit of this integration: its first plain field and its secret. */
function fixtureEdits(key: string, settings: SettingsInput): AuditChange[] {
  const plain = catalogFixtures.find((e) => e.key === key)?.fields.find((f) => f.kind === 'Text' || f.kind === 'Select');
  const edits: AuditChange[] = [];
  if (plain) {
    const after = String(settings[plain.key] ?? '');
    const before = plain.kind === 'Select' ? (plain.options.find((o) => o.value !== after)?.value ?? '') : `${after}-old`;
    edits.push({ field: plain.key, before, after, secret: false });
  }
  edits.push({ field: secretKeyOf(key), before: 'changed', after: 'changed', secret: true });
  return edits;
}

/** A fresh fixture world; `withDrafts: false` starts with no pending changes. */
export function createWorld(now: Date, withDrafts: boolean): MemoryWorld {
  const partners = partnerFixtures(now);
  const audit = new Map<string, AuditEntry[]>();
  const history = new Map<string, HealthSample[]>();
  let id = 1000;
  for (const partner of partners) {
    for (const [key, config] of Object.entries(partner.configs)) {
      const count = key === 'syncro' && partner.id === ACME_ID ? 64 : 6;
      audit.set(scopeKey(partner.id, key), auditFixture(now, key, count, id, fixtureEdits(key, config.settings), secretKeyOf(key), config.state.status === 'Error' ? config.state.errorMessage : null));
      id += count;
      if (config.state.lastHealthCheck) history.set(scopeKey(partner.id, key), healthHistoryFixture(now, config.state.status === 'Error' ? 'failing' : 'healthy'));
    }
  }
  const acme = partners.find((p) => p.id === ACME_ID);
  const drafts = withDrafts && acme ? fixtureDrafts(now, acme) : [];
  return { catalog: catalogFixtures, partners, audit, history, drafts, nextId: id + 1 };
}

/** The renderer's view of a draft: secrets masked, conflict sides as views. */
export function draftView(world: MemoryWorld, draft: MemoryDraft, current: StoredConfig | undefined): Draft {
  const entry = world.catalog.find((e) => e.key === draft.key);
  const fields = entry?.fields ?? [];
  const mask = (s: SettingsInput | null) => (s ? maskSettings(fields, s) : null);
  return {
    id: draft.id,
    integrationKey: draft.key,
    integrationName: entry?.name ?? draft.key,
    action: draft.action,
    settings: mask(draft.settings),
    replacedSecrets: draft.replaced,
    baseVersion: draft.baseVersion,
    state: draft.state,
    error: draft.error,
    conflict: draft.conflict
      ? { base: mask(draft.baseSettings), server: mask(current?.settings ?? draft.conflict.settings), serverVersion: current?.state.version ?? null }
      : null,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
  };
}
