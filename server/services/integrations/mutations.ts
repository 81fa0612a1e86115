import { AppError } from '../../../shared/errors.js';
import type { DeleteOutput } from '../../../shared/integrations/api.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { findVersion, insertVersion } from '../../db/configVersions.js';
import type { SecretsSetAt } from '../../db/credentialAges.js';
import { deleteConfig, findConfig, insertConfig, updateConfigSettings, type ConfigRow, type StoredSettings } from '../../db/integrationConfigs.js';
import { withPartner, type Queryable } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { Registry } from '../../integrations/registry.js';
import type { AuditActor } from './actor.js';
import { settingsChanges } from './auditDetails.js';
import { buildIntegrationDetail } from './detail.js';
import { conflictError, notConfiguredError, requireIntegration } from './lookup.js';
import { prepareConfigure, prepareReconfigure, type PreparedSettings } from './prepare.js';

// Each mutation is prepare (outside any transaction: validation, plugin hook, encryption) then
// commit (inside the caller's partner transaction: lock, version check, write, audit). The
// commits take a transaction so sync can apply a pushed mutation and record it in one. An
// integration with a mirror (registry.mirror: MSP360's legacy table) is written there too, in
// the same transaction.

const staleMessage = 'This integration was changed since you started editing';

function storedSettings(prepared: PreparedSettings, lockedRow: ConfigRow | undefined): StoredSettings {
  const stored: StoredSettings = { ...prepared.values };
  for (const key of prepared.keptSecrets) {
    // Taken from the locked row, not from when the edit was prepared: a key rotation may have
    // re-encrypted it meanwhile (same value, same row version, newer key).
    if (lockedRow?.settings[key] !== undefined) stored[key] = lockedRow.settings[key];
  }
  return stored;
}

/**
 * Issue 18 §2: the secrets given now were set now, except those a rollback restores, which keep
 * the time they were first set (from the restored version).
 */
function secretsSetNow(prepared: PreparedSettings, restored: SecretsSetAt | undefined): SecretsSetAt {
  const now = new Date().toISOString();
  return Object.fromEntries(prepared.replacedSecrets.map((field) => [field, restored?.[field] ?? now]));
}

/** Inserts a prepared configuration and its `configured` audit row; 409 if one exists by now. */
export async function commitConfigure(tx: Queryable, registry: Registry, prepared: PreparedSettings, actor: AuditActor): Promise<ConfigRow> {
  const integration = requireIntegration(registry, prepared.key);
  const mirror = registry.mirror?.(prepared.key);
  await mirror?.lock(tx, prepared.partnerId);
  const settings = storedSettings(prepared, undefined);
  const row = await insertConfig(tx, prepared.partnerId, { key: prepared.key, settings, userId: actor.userId, secretsSetAt: secretsSetNow(prepared, undefined) });
  if (!row) {
    const current = await findConfig(tx, prepared.partnerId, prepared.key);
    throw conflictError(integration, current, 'This integration is already configured; edit it instead');
  }
  await insertVersion(tx, prepared.partnerId, { key: prepared.key, version: row.version, settings: row.settings, userId: actor.userId, actor: actor.actor, secretsSetAt: row.secretsSetAt });
  await insertAuditLog(tx, prepared.partnerId, {
    integrationKey: prepared.key,
    action: 'configured',
    userId: actor.userId,
    actor: actor.actor,
    details: { changes: settingsChanges(integration, undefined, settings, new Set(prepared.replacedSecrets)) },
  });
  await mirror?.written(tx, integration, row);
  return row;
}

/**
 * Applies a prepared edit under a row lock. The row must still be at the version the edit was
 * merged from (and at `baseVersion` when given): of two edits from one version exactly one wins,
 * the other gets a 409 with the current state.
 */
export async function commitReconfigure(
  tx: Queryable,
  registry: Registry,
  prepared: PreparedSettings,
  actor: AuditActor,
  baseVersion?: number,
  restoredFrom?: number,
): Promise<ConfigRow> {
  const integration = requireIntegration(registry, prepared.key);
  const mirror = registry.mirror?.(prepared.key);
  await mirror?.lock(tx, prepared.partnerId);
  const row = await findConfig(tx, prepared.partnerId, prepared.key, { lock: true });
  if (!row) throw notConfiguredError();
  if (row.version !== prepared.fromVersion || (baseVersion !== undefined && row.version !== baseVersion)) {
    throw conflictError(integration, row, staleMessage);
  }
  const settings = storedSettings(prepared, row);
  const restored = restoredFrom ? await findVersion(tx, prepared.partnerId, prepared.key, restoredFrom) : undefined;
  const updated = await updateConfigSettings(tx, prepared.partnerId, {
    key: prepared.key,
    settings,
    userId: actor.userId,
    secrets: { set: secretsSetNow(prepared, restored?.secretsSetAt), keep: prepared.keptSecrets },
  });
  await insertVersion(tx, prepared.partnerId, {
    key: prepared.key,
    version: updated.version,
    settings: updated.settings,
    userId: actor.userId,
    actor: actor.actor,
    secretsSetAt: updated.secretsSetAt,
    ...(restoredFrom ? { restoredFrom } : {}),
  });
  await insertAuditLog(tx, prepared.partnerId, {
    integrationKey: prepared.key,
    action: 'reconfigured',
    userId: actor.userId,
    actor: actor.actor,
    details: {
      changes: settingsChanges(integration, row.settings, settings, new Set(prepared.replacedSecrets)),
      ...(restoredFrom ? { message: `Rolled back to version ${restoredFrom}` } : {}),
    },
  });
  await mirror?.written(tx, integration, updated);
  return updated;
}

/** Deletes this partner's configuration (row and secrets) with its `deleted` audit row. */
export async function commitDelete(
  tx: Queryable,
  registry: Registry,
  partnerId: number,
  key: string,
  actor: AuditActor,
  baseVersion?: number,
): Promise<ConfigRow> {
  const integration = requireIntegration(registry, key);
  const mirror = registry.mirror?.(key);
  await mirror?.lock(tx, partnerId);
  const row = await findConfig(tx, partnerId, key, { lock: true });
  if (!row) throw notConfiguredError();
  if (baseVersion !== undefined && row.version !== baseVersion) throw conflictError(integration, row, staleMessage);
  await deleteConfig(tx, partnerId, key);
  await insertAuditLog(tx, partnerId, {
    integrationKey: key,
    action: 'deleted',
    userId: actor.userId,
    actor: actor.actor,
    details: { changes: settingsChanges(integration, row.settings, undefined), fromStatus: row.status, toStatus: 'Not Configured' },
  });
  await mirror?.deleted(tx, integration, partnerId);
  return row;
}

/** Configure: validate, run the plugin's hook, encrypt, store, audit. Returns the new detail. */
export async function configureIntegration(deps: AppDeps, partnerId: number, actor: AuditActor, key: string, settings: SettingsInput): Promise<IntegrationDetail> {
  const prepared = await prepareConfigure(deps, partnerId, key, settings);
  const row = await withPartner(deps.db, partnerId, (tx) => commitConfigure(tx, deps.registry, prepared, actor));
  return buildIntegrationDetail(requireIntegration(deps.registry, key), row);
}

export async function reconfigureIntegration(
  deps: AppDeps,
  partnerId: number,
  actor: AuditActor,
  input: { key: string; settings: SettingsInput; baseVersion?: number; restoredFrom?: number },
): Promise<IntegrationDetail> {
  // Without a baseVersion the caller accepts whatever is stored: an edit that lands between our
  // read and our write is not a conflict for it, so the edit is merged again on the newer row.
  for (let attempt = 1; ; attempt++) {
    const prepared = await prepareReconfigure(deps, partnerId, input.key, input.settings, input.baseVersion);
    try {
      const row = await withPartner(deps.db, partnerId, (tx) => commitReconfigure(tx, deps.registry, prepared, actor, input.baseVersion, input.restoredFrom));
      return buildIntegrationDetail(requireIntegration(deps.registry, input.key), row);
    } catch (error) {
      if (input.baseVersion !== undefined || attempt >= 3 || !isConflict(error)) throw error;
    }
  }
}

const isConflict = (error: unknown) => error instanceof AppError && error.code === 'CONFLICT';

export async function deleteIntegration(deps: AppDeps, partnerId: number, actor: AuditActor, key: string, baseVersion?: number): Promise<DeleteOutput> {
  requireIntegration(deps.registry, key);
  await withPartner(deps.db, partnerId, (tx) => commitDelete(tx, deps.registry, partnerId, key, actor, baseVersion));
  return { key, deleted: true };
}
