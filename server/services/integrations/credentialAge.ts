import {
  credentialAge,
  rotateSoonDays,
  type CredentialAgeOutput,
} from '../../../shared/integrations/credentialAge.js';
import { findCredentialAges, type CredentialAgeRow } from '../../db/credentialAges.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import { notConfiguredError, requireIntegration } from './lookup.js';

/** The limit that applies: the vendor's stated key lifetime, else the partner-wide default. */
export function credentialLimit(integration: RegisteredIntegration, row: Pick<CredentialAgeRow, 'partnerMaxAgeDays'>) {
  const vendor = integration.plugin.credentialMaxAgeDays;
  return vendor === undefined ? { maxAgeDays: row.partnerMaxAgeDays, source: 'partner' as const } : { maxAgeDays: vendor, source: 'vendor' as const };
}

/**
 * The secrets a configuration stores now (today's Secret fields only, in field order), with when
 * each was set: recorded at each save, else (stored before that was recorded) the configuration's creation.
 */
export function storedCredentials(integration: RegisteredIntegration, row: CredentialAgeRow) {
  const stored = new Set(row.secretFields);
  // Only plain fields reach the plugin: a stored secret is a ciphertext object and is left out.
  const plain = Object.fromEntries(Object.entries(row.settings ?? {}).filter((e): e is [string, string | boolean] => typeof e[1] === 'string' || typeof e[1] === 'boolean'));
  const expiry = integration.plugin.credentialExpiry?.(plain) ?? {};
  return integration.entry.fields
    .filter((field) => field.kind === 'Secret' && stored.has(field.key))
    .map((field) => {
      const recorded = row.secretsSetAt[field.key];
      return { field: field.key, label: field.label, recorded: recorded ?? null, setAt: recorded ? new Date(recorded) : row.createdAt, expiresAt: expiry[field.key] ?? null };
    });
}

/** Issue 18 §2: how old each stored credential of this configuration is, against its limit. */
export async function getCredentialAge(deps: AppDeps, partnerId: number, key: string, now = new Date()): Promise<CredentialAgeOutput> {
  const integration = requireIntegration(deps.registry, key);
  const row = await readAsPartner(deps.db, partnerId, (q) => findCredentialAges(q, partnerId, key));
  if (!row) throw notConfiguredError();
  const limit = credentialLimit(integration, row);
  return {
    ...limit,
    rotateSoonDays,
    items: storedCredentials(integration, row).map((c) => {
      const age = credentialAge(c.setAt, limit.maxAgeDays, now, c.expiresAt);
      return { field: c.field, label: c.label, setAt: c.setAt.toISOString(), dueAt: age.dueAt.toISOString(), ageDays: age.ageDays, state: age.state };
    }),
  };
}
