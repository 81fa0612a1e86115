import { auditActorKind, type IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import { AppError, type FieldErrors } from '../../../shared/errors.js';
import { maxVersionsListed, type RollbackInput, type VersionsOutput } from '../../../shared/integrations/versions.js';
import { findVersion, listVersions } from '../../db/configVersions.js';
import { isStoredSecret } from '../../secrets/cipher.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { AuditActor } from './actor.js';
import { settingsChanges } from './auditDetails.js';
import { notConfiguredError, readConfig, requireIntegration } from './lookup.js';
import { reconfigureIntegration } from './mutations.js';
import { decryptSecret } from './settings.js';
import { testIntegration } from './testConnection.js';

/**
 * Issue 18 §1: the saved versions of a configuration, newest first, each with what changed from
 * the one before it (secrets compared by ciphertext, shown only as "changed"; never decrypted for
 * display), whether a check of it passed, and which one is in force.
 */
export async function listConfigVersions(deps: AppDeps, partnerId: number, key: string): Promise<VersionsOutput> {
  const integration = requireIntegration(deps.registry, key);
  const [config, rows] = await Promise.all([
    readConfig(deps.db, partnerId, key),
    // One more than shown: the oldest shown needs the one before it for its diff.
    readAsPartner(deps.db, partnerId, (q) => listVersions(q, partnerId, key, maxVersionsListed + 1)),
  ]);
  if (!config) throw notConfiguredError();
  const secretFields = integration.entry.fields.filter((f) => f.kind === 'Secret').map((f) => f.key);
  const items = rows.slice(0, maxVersionsListed).map((row, i) => {
    const before = rows[i + 1];
    const replaced = new Set(secretFields.filter((f) => before && ciphertext(before.settings[f]) !== ciphertext(row.settings[f]) && ciphertext(row.settings[f]) !== undefined));
    return {
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      actor: row.actor,
      actorKind: auditActorKind(row),
      changes: before || row.version === 1 ? settingsChanges(integration, before?.settings, row.settings, replaced) : [],
      passedCheck: row.passedCheck,
      current: row.version === config.version,
      restoredFrom: row.restoredFrom,
    };
  });
  return { items };
}

const ciphertext = (value: unknown) => (isStoredSecret(value) ? value.ct : undefined);

/**
 * The settings that restore version `toVersion` over the configuration in force, as an edit
 * would send them: plain values as they were, each secret decrypted in memory where it was
 * encrypted (same partner, integration and field), or blank when it equals the current one, so
 * the stored secret is kept rather than re-encrypted and the audit says only what changed.
 * Shared by the REST/tRPC rollback and a rollback pushed from an offline draft.
 */
export async function rollbackSettings(deps: AppDeps, partnerId: number, key: string, toVersion: number): Promise<SettingsInput> {
  const integration = requireIntegration(deps.registry, key);
  const [config, target] = await Promise.all([
    readConfig(deps.db, partnerId, key),
    readAsPartner(deps.db, partnerId, (q) => findVersion(q, partnerId, key, toVersion)),
  ]);
  if (!config) throw notConfiguredError();
  if (!target) throw new AppError('NOT_FOUND', `There is no version ${toVersion} of this configuration`, { fields: { toVersion: ['There is no such version'] } });
  if (target.version === config.version) throw new AppError('CONFLICT', `Version ${target.version} is the one in force already`);

  const settings: SettingsInput = {};
  const unreadable: FieldErrors = {};
  for (const field of integration.entry.fields) {
    const value = target.settings[field.key];
    if (field.kind !== 'Secret') {
      if (typeof value === 'string' || typeof value === 'boolean') settings[field.key] = value;
      continue;
    }
    if (!isStoredSecret(value)) continue;
    let old: string | undefined;
    let now: string | undefined;
    try {
      old = decryptSecret(deps.secrets, integration, partnerId, field.key, value);
      now = decryptSecret(deps.secrets, integration, partnerId, field.key, config.settings[field.key]);
    } catch {
      if (old === undefined) unreadable[`settings.${field.key}`] = [`${field.label} of version ${target.version} can no longer be read on this server (its key was retired)`];
    }
    // Blank keeps the stored secret (as in an edit); a different one is restored.
    if (old !== undefined) settings[field.key] = old === now ? '' : old;
  }
  if (Object.keys(unreadable).length) throw new AppError('VALIDATION_FAILED', `Version ${target.version} cannot be restored`, { fields: unreadable });
  return settings;
}

/**
 * Restores version `toVersion` as a new version, through the same path as an edit: validated by
 * today's field specs and plugin, audited ("Rolled back to version N"), mirrored, and refused
 * with a 409 when `baseVersion` is not the current version.
 */
export async function rollbackIntegration(deps: AppDeps, partnerId: number, actor: AuditActor, input: RollbackInput): Promise<IntegrationDetail> {
  const settings = await rollbackSettings(deps, partnerId, input.key, input.toVersion);
  const restored = await reconfigureIntegration(deps, partnerId, actor, { key: input.key, settings, baseVersion: input.baseVersion, restoredFrom: input.toVersion });
  // Checked at once, as the desktop checks a saved edit: "roll back to the last passing version"
  // answers with the status it brought back. The check's failure is its own business.
  try {
    return (await testIntegration(deps, partnerId, actor, { key: input.key, afterSave: true })).detail;
  } catch {
    return restored;
  }
}
