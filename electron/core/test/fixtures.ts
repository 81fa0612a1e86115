import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEntry, IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsView } from '../../../shared/integrations/fields.js';
import type { PullResponse, SyncChange } from '../../../shared/sync.js';
import { openCacheDatabase } from '../db/open.js';
import type { CacheDb } from '../db/types.js';
import { aesGcmSecretBox, type SecretBox } from '../secrets/secretBox.js';

/** A cache database in a fresh temp dir; `cleanup` closes it and removes the dir. */
export async function tempCache(): Promise<{ db: CacheDb; dir: string; file: string; box: SecretBox; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ic-desktop-'));
  const file = path.join(dir, 'cache.sqlite');
  const db = await openCacheDatabase(file);
  return {
    db,
    dir,
    file,
    box: aesGcmSecretBox(Buffer.alloc(32, 7)),
    async cleanup() {
      if (db.open) db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Syncro-like catalog entry: a subdomain, a secret token and a flag. */
export function syncroDetail(state: { version: number | null; settings?: SettingsView | null } = { version: null }): IntegrationDetail {
  const configured = state.version !== null;
  return {
    key: 'syncro',
    name: 'Syncro PSA',
    provider: 'Syncro',
    category: 'Psa',
    description: 'Tickets and customers',
    docsUrl: null,
    links: [],
    capabilities: ['health', 'organizations'],
    requirements: ['Token permission “Customers - List/Search”'],
    logo: null,
    fields: [
      { key: 'subdomain', kind: 'Text', label: 'Subdomain', required: true, help: '', pattern: { regex: '^[a-z0-9-]+$', message: 'Letters, digits and dashes' } },
      { key: 'api_token', kind: 'Secret', label: 'API token', required: true, help: '' },
      { key: 'sync_tickets', kind: 'Bool', label: 'Sync tickets', required: false, help: '' },
    ],
    state: {
      status: configured ? 'Configured' : 'Not Configured',
      health: 'unknown',
      lastHealthCheck: null,
      lastOkAt: null,
      consecutiveFailures: 0,
      errorMessage: null,
      version: state.version,
      updatedAt: configured ? '2026-01-01T00:00:00.000Z' : null,
    },
    settings: configured ? (state.settings ?? { subdomain: 'acme', api_token: { isSet: true, last4: '1234' }, sync_tickets: true }) : null,
  };
}

export function integrationChange(detail: IntegrationDetail, version: number): SyncChange {
  return { kind: 'integration', version, id: `integration:${detail.key}`, detail };
}

export function auditChange(id: number, version: number, key = 'syncro'): SyncChange {
  const entry: AuditEntry = {
    id,
    integrationKey: key,
    action: 'reconfigured',
    actor: 'admin@acme.test',
    actorKind: 'user',
    userId: 1,
    details: { changes: [{ field: 'subdomain', before: 'a', after: 'b', secret: false }] },
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
  };
  return { kind: 'audit', version, id: `audit:${id}`, entry };
}

export function page(changes: SyncChange[], extra: Partial<PullResponse> = {}): PullResponse {
  const last = changes.at(-1);
  return {
    changes,
    nextCursor: `c:${last ? `${last.version}:${last.id}` : 'same'}`,
    hasMore: false,
    serverVersion: last?.version ?? 0,
    lastMutationId: 0,
    ...extra,
  };
}
