import type { AuditEntry } from '../../../shared/integrations/catalog.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { findConfig, insertConfig, updateConfigSettings } from '../../db/integrationConfigs.js';
import {
  findLegacyConfig,
  genericOnlyPartnerIds,
  hasMigratedAudit,
  legacyPartnerIds,
  legacyTablePresent,
  lockMsp360Writes,
  upsertLegacyConfig,
} from '../../db/mspbackupsConfig.js';
import { withSystem, type Db, type Queryable } from '../../db/pool.js';
import type { Registry, RegisteredIntegration } from '../../integrations/registry.js';
import type { SecretCipher } from '../../secrets/cipher.js';
import { systemActor } from '../../services/integrations/actor.js';
import { settingsChanges } from '../../services/integrations/auditDetails.js';
import type { CredentialsCipher } from '../credentials.js';
import { differingFields, fromGeneric, fromLegacy, migratedStatus, msp360Key, toGeneric, toLegacy } from './shape.js';

/**
 * What happened to each partner. Per partner, under its MSP360 write lock:
 * - `migrated`: no generic row: one is inserted from the legacy row (Active when enabled with
 *   credentials, else Configured; see migratedStatus), audited `migrated`;
 * - `replaced`: a generic row made in the catalog before both stores were written together,
 *   and it differs: the legacy row wins (it is what the partner's feature used), audited
 *   `migrated` with the field changes;
 * - `linked`: a generic row already equal to the legacy one: only the `migrated` audit row;
 * - `copiedToLegacy`: a generic row with no legacy row: copied into the legacy table (so the
 *   legacy feature sees it while it still reads there), audited `migrated` unless it was before;
 * - `skipped`: already migrated (its `migrated` audit row exists) and still equal;
 * - `drifted`: already migrated but the stores differ now: left alone and reported (the parity
 *   check names the fields; dual-write should never let this happen);
 * - `failed`: a stored password that does not decrypt: nothing written for the partner.
 * A partner's `migrated` audit row is written once, ever: it is what makes a re-run a no-op.
 */
export interface MigrationReport {
  legacyTable: boolean;
  migrated: number;
  replaced: number;
  linked: number;
  copiedToLegacy: number;
  skipped: number;
  drifted: number[];
  failed: number[];
  interrupted: boolean;
}

export interface MigrationDeps {
  db: Db;
  registry: Registry;
  secrets: SecretCipher;
  legacyCredentials: CredentialsCipher;
}

type Outcome = 'migrated' | 'replaced' | 'linked' | 'copiedToLegacy' | 'skipped' | 'drifted' | 'failed' | 'gone';

const migratedMessages = {
  migrated: 'Copied from the legacy MSPBackups settings',
  replaced: 'Replaced by the legacy MSPBackups settings, which the MSPBackups page was using',
  linked: 'Already equal to the legacy MSPBackups settings',
  copiedToLegacy: 'Copied into the legacy MSPBackups settings',
} as const;

async function audit(tx: Queryable, partnerId: number, details: AuditEntry['details']): Promise<void> {
  await insertAuditLog(tx, partnerId, { integrationKey: msp360Key, action: 'migrated', userId: systemActor.userId, actor: systemActor.actor, details });
}

/** Tries a decryption; undefined when the stored value does not decrypt (wrong key, altered). */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

async function fromLegacyRow(tx: Queryable, deps: MigrationDeps, integration: RegisteredIntegration, partnerId: number): Promise<Outcome> {
  await lockMsp360Writes(tx, partnerId);
  const legacy = await findLegacyConfig(tx, partnerId);
  if (!legacy) return 'gone';
  const plain = attempt(() => fromLegacy(deps.legacyCredentials, legacy));
  if (!plain) return 'failed';
  const generic = await findConfig(tx, partnerId, msp360Key, { lock: true });
  const marked = await hasMigratedAudit(tx, partnerId);
  const status = migratedStatus(plain);

  if (!generic) {
    const { settings } = toGeneric(deps.secrets, integration, partnerId, plain);
    await insertConfig(tx, partnerId, { key: msp360Key, settings, userId: null, status });
    await audit(tx, partnerId, {
      changes: settingsChanges(integration, undefined, settings, new Set(['api_password'])),
      toStatus: status,
      message: migratedMessages.migrated,
    });
    return 'migrated';
  }
  const current = attempt(() => fromGeneric(deps.secrets, integration, partnerId, generic.settings));
  if (!current) return 'failed';
  const differs = differingFields(plain, current).length > 0;
  if (marked) return differs ? 'drifted' : 'skipped';
  if (!differs) {
    await audit(tx, partnerId, { changes: [], message: migratedMessages.linked });
    return 'linked';
  }
  const { settings, passwordReplaced } = toGeneric(deps.secrets, integration, partnerId, plain, { settings: generic.settings, plain: current });
  await updateConfigSettings(tx, partnerId, { key: msp360Key, settings, userId: null, status });
  await audit(tx, partnerId, {
    changes: settingsChanges(integration, generic.settings, settings, new Set(passwordReplaced ? ['api_password'] : [])),
    fromStatus: generic.status,
    toStatus: status,
    message: migratedMessages.replaced,
  });
  return 'replaced';
}

async function fromGenericRow(tx: Queryable, deps: MigrationDeps, integration: RegisteredIntegration, partnerId: number): Promise<Outcome> {
  await lockMsp360Writes(tx, partnerId);
  const generic = await findConfig(tx, partnerId, msp360Key, { lock: true });
  if (!generic || (await findLegacyConfig(tx, partnerId))) return 'gone';
  const plain = attempt(() => fromGeneric(deps.secrets, integration, partnerId, generic.settings));
  if (!plain) return 'failed';
  await upsertLegacyConfig(tx, partnerId, toLegacy(deps.legacyCredentials, plain), generic.updatedAt);
  if (!(await hasMigratedAudit(tx, partnerId))) await audit(tx, partnerId, { changes: [], message: migratedMessages.copiedToLegacy });
  return 'copiedToLegacy';
}

type Step = (tx: Queryable, deps: MigrationDeps, integration: RegisteredIntegration, partnerId: number) => Promise<Outcome>;

/**
 * Moves every partner's MSPBackups settings into integration_configurations (key msp360, the
 * plugin's shape, the password re-encrypted under the key ring and bound to its partner), in
 * batches of `batchSize` partners, each batch one transaction. Then copies MSP360
 * configurations that exist only in the generic store into the legacy table, so both stores
 * hold every partner before anyone reads from the new one. Idempotent and resumable: stopping
 * at any point loses nothing, and a second run changes nothing (see MigrationReport).
 */
export async function migrateMspBackups(
  deps: MigrationDeps,
  options: { batchSize?: number; signal?: AbortSignal; onBatch?: (report: MigrationReport) => void } = {},
): Promise<MigrationReport> {
  const report: MigrationReport = { legacyTable: true, migrated: 0, replaced: 0, linked: 0, copiedToLegacy: 0, skipped: 0, drifted: [], failed: [], interrupted: false };
  const integration = deps.registry.get(msp360Key);
  if (!integration) throw new Error('the registry has no msp360 integration');
  if (!(await withSystem(deps.db, legacyTablePresent))) return { ...report, legacyTable: false };
  const batchSize = options.batchSize ?? 200;

  const pass = async (next: (tx: Queryable, after: number, limit: number) => Promise<number[]>, step: Step) => {
    let after = 0;
    while (!options.signal?.aborted) {
      const ids = await withSystem(deps.db, (tx) => next(tx, after, batchSize));
      if (ids.length === 0) return;
      const outcomes = await withSystem(deps.db, async (tx) => {
        const out: [number, Outcome][] = [];
        for (const id of ids) out.push([id, await step(tx, deps, integration, id)]);
        return out;
      });
      for (const [id, outcome] of outcomes) {
        if (outcome === 'drifted' || outcome === 'failed') report[outcome].push(id);
        else if (outcome !== 'gone') report[outcome]++;
      }
      options.onBatch?.(report);
      after = ids.at(-1) as number;
    }
  };
  await pass(legacyPartnerIds, fromLegacyRow);
  await pass(genericOnlyPartnerIds, fromGenericRow);
  return { ...report, interrupted: options.signal?.aborted === true };
}
