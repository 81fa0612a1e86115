import { AppError } from '../../../shared/errors.js';
import type { MspBackupsCompanies, MspBackupsConfig, MspBackupsConfigInput } from '../../../shared/mspbackups.js';
import { keepsMspBackupsPassword, mspBackupsConfigInputSchema } from '../../../shared/mspbackups.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { findConfig, insertConfig, updateConfigSettings, type ConfigRow } from '../../db/integrationConfigs.js';
import { findLegacyConfig, legacyTablePresent, lockMsp360Writes, undefinedTableCode, upsertLegacyConfig } from '../../db/mspbackupsConfig.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner, type Queryable } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { isMsp360Plugin, type Msp360Plugin } from '../../integrations/msp360/index.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import type { AuditActor } from '../../services/integrations/actor.js';
import { settingsChanges } from '../../services/integrations/auditDetails.js';
import { pluginConfig } from '../../services/integrations/pluginConfig.js';
import { differingFields, fromGeneric, fromLegacy, maskedView, msp360Key, toGeneric, toLegacy, type MspBackupsPlain } from './shape.js';

// The legacy MSPBackups feature, kept working while MSP360 moves into the catalog. Reads come
// from `mspbackups_config` unless the `msp360.read_from_new` flag is on for the partner (then
// from integration_configurations); writes always land in both, in one transaction, so turning
// the flag off again (the rollback) loses nothing.

const notConfigured = () => new AppError('NOT_FOUND', 'MSPBackups is not configured');

function requireMsp360(deps: AppDeps): { integration: RegisteredIntegration; plugin: Msp360Plugin } {
  const integration = deps.registry.get(msp360Key);
  if (!integration || !isMsp360Plugin(integration.plugin)) throw new AppError('UNAVAILABLE', 'MSPBackups is not available on this server');
  return { integration, plugin: integration.plugin };
}

const isUndefinedTable = (error: unknown) => (error as { code?: unknown } | null)?.code === undefinedTableCode;

/** The partner's settings in clear from the store the flag names; undefined when there are none. */
async function readCurrent(deps: AppDeps, integration: RegisteredIntegration, partnerId: number): Promise<MspBackupsPlain | undefined> {
  const fromNew = async () => {
    const row = await readAsPartner(deps.db, partnerId, (q) => findConfig(q, partnerId, msp360Key));
    return row ? fromGeneric(deps.secrets, integration, partnerId, row.settings) : undefined;
  };
  if (await deps.flags.isEnabled('msp360.read_from_new', partnerId)) return fromNew();
  try {
    const row = await readAsPartner(deps.db, partnerId, (q) => findLegacyConfig(q, partnerId));
    return row ? fromLegacy(deps.legacyCredentials, row) : undefined;
  } catch (error) {
    // After the optional drop of the legacy table there is only the generic store to read.
    if (isUndefinedTable(error)) return fromNew();
    throw error;
  }
}

/** `GET /api/mspbackups/config`. */
export async function getMspBackupsConfig(deps: AppDeps, partnerId: number): Promise<MspBackupsConfig> {
  const plain = await readCurrent(deps, requireMsp360(deps).integration, partnerId);
  if (!plain) throw notConfigured();
  return maskedView(plain);
}

/**
 * `PUT /api/mspbackups/config`: creates or replaces the settings in both stores and audits the
 * generic one (`configured` / `reconfigured`, as a catalog edit would be). A password left out
 * (or blank, null, the mask) keeps the stored one, read from the store the flag names.
 */
export async function saveMspBackupsConfig(deps: AppDeps, partnerId: number, actor: AuditActor, input: MspBackupsConfigInput): Promise<MspBackupsConfig> {
  const { integration } = requireMsp360(deps);
  const parsed = mspBackupsConfigInputSchema.parse(input);
  const readFromNew = await deps.flags.isEnabled('msp360.read_from_new', partnerId);
  return withPartner(deps.db, partnerId, async (tx) => {
    await lockMsp360Writes(tx, partnerId);
    const generic = await findConfig(tx, partnerId, msp360Key, { lock: true });
    const genericPlain = generic ? fromGeneric(deps.secrets, integration, partnerId, generic.settings) : undefined;
    const legacyPresent = await legacyTablePresent(tx);
    const legacy = legacyPresent ? await findLegacyConfig(tx, partnerId) : undefined;
    const legacyPlain = legacy && fromLegacy(deps.legacyCredentials, legacy);
    // What is stored: the store the flag names, else the other one (a configuration made in
    // the catalog before both stores were written together).
    const current = readFromNew || !legacyPresent ? (genericPlain ?? legacyPlain) : (legacyPlain ?? genericPlain);

    const next: MspBackupsPlain = {
      apiLogin: parsed.apiLogin,
      apiPassword: keepsMspBackupsPassword(parsed.apiPassword) ? (current?.apiPassword ?? null) : (parsed.apiPassword ?? null),
      enabled: parsed.enabled ?? current?.enabled ?? true,
    };
    // Saving what both stores already hold changes nothing: no version bump, no audit noise.
    const same = (stored: MspBackupsPlain | undefined) => stored !== undefined && differingFields(next, stored).length === 0;
    if (same(genericPlain) && (!legacyPresent || same(legacyPlain))) return maskedView(next);
    if (legacyPresent) await upsertLegacyConfig(tx, partnerId, toLegacy(deps.legacyCredentials, next));
    await writeGeneric(tx, deps, integration, partnerId, actor, next, generic && genericPlain ? { row: generic, plain: genericPlain } : undefined);
    return maskedView(next);
  });
}

/** Dual-write, legacy side: the generic row follows, with its audit row, as a catalog edit would. */
async function writeGeneric(
  tx: Queryable,
  deps: AppDeps,
  integration: RegisteredIntegration,
  partnerId: number,
  actor: AuditActor,
  next: MspBackupsPlain,
  existing: { row: ConfigRow; plain: MspBackupsPlain } | undefined,
): Promise<void> {
  const { settings, passwordReplaced } = toGeneric(deps.secrets, integration, partnerId, next, existing && { settings: existing.row.settings, plain: existing.plain });
  const replaced = new Set(passwordReplaced ? ['api_password'] : []);
  const message = 'Saved on the MSPBackups page';
  if (!existing) {
    const inserted = await insertConfig(tx, partnerId, { key: msp360Key, settings, userId: actor.userId });
    // Every MSP360 writer holds the partner's MSP360 lock, so the row cannot appear meanwhile.
    if (!inserted) throw new Error('msp360 configuration appeared under the MSP360 write lock');
    await insertAuditLog(tx, partnerId, {
      integrationKey: msp360Key,
      action: 'configured',
      userId: actor.userId,
      actor: actor.actor,
      details: { changes: settingsChanges(integration, undefined, settings, replaced), message },
    });
    return;
  }
  await updateConfigSettings(tx, partnerId, { key: msp360Key, settings, userId: actor.userId });
  await insertAuditLog(tx, partnerId, {
    integrationKey: msp360Key,
    action: 'reconfigured',
    userId: actor.userId,
    actor: actor.actor,
    details: { changes: settingsChanges(integration, existing.row.settings, settings, replaced), message },
  });
}

/**
 * `GET /api/mspbackups/companies`: the backup companies MSP360 lists for the saved credentials,
 * through the MSP360 plugin (its vendor client, rate limit and token cache). 404 without
 * settings; 409 when the feature is off or has no password, or MSP360 refuses the credentials;
 * 503 when MSP360 is unreachable or failing.
 */
export async function listMspBackupsCompanies(deps: AppDeps, partnerId: number): Promise<MspBackupsCompanies> {
  const { integration, plugin } = requireMsp360(deps);
  const plain = await readCurrent(deps, integration, partnerId);
  if (!plain) throw notConfigured();
  if (!plain.enabled) throw new AppError('CONFLICT', 'MSPBackups is turned off for this partner');
  if (plain.apiPassword === null || plain.apiLogin === '') throw new AppError('CONFLICT', 'Save the MSP360 API login and password first');
  const result = await plugin.companies({
    partnerId,
    settings: { api_login: plain.apiLogin, api_password: plain.apiPassword },
    config: pluginConfig(deps.config),
    signal: AbortSignal.timeout(deps.pluginTimeoutMs),
    log: deps.log,
  });
  if (!result.ok) {
    // Error = something the partner must fix (credentials); Degraded = MSP360's trouble, retry later.
    throw new AppError(result.failure.status === 'error' ? 'CONFLICT' : 'UNAVAILABLE', result.failure.message ?? 'MSP360 did not answer');
  }
  return { items: result.value.map((c) => ({ id: c.ID ?? c.Id ?? '', name: c.Name ?? '' })) };
}
