import type { Mutation, MutationResult } from '../../../shared/sync.js';
import { listSettingsChanges } from '../../db/auditLogs.js';
import { findConfig, type ConfigRow } from '../../db/integrationConfigs.js';
import { withPartner, type Queryable } from '../../db/pool.js';
import { advanceSyncClient, findMutationResults, findSyncClient, insertMutationResult } from '../../db/syncClients.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import type { AuditActor } from '../integrations/actor.js';
import { buildIntegrationDetail } from '../integrations/detail.js';
import { AppError } from '../../../shared/errors.js';
import { rollbackSettings } from '../integrations/versions.js';
import { commitConfigure, commitDelete, commitReconfigure } from '../integrations/mutations.js';
import { prepareConfigure, prepareReconfigure, type PreparedSettings } from '../integrations/prepare.js';
import { isTransient, outcomeOf, type MutationOutcome } from './outcome.js';
import { gapError, storedResult } from './results.js';

/** Who pushes: their partner, whether they may change integrations, and how audit names them. */
export interface Pusher {
  partnerId: number;
  isAdmin: boolean;
  actor: AuditActor;
}

/** Thrown to stop a push without a result for this mutation (the client retries it later). */
export class TransientPushError extends Error {
  override name = 'TransientPushError';
  constructor(readonly original: unknown) {
    super('A temporary failure stopped the push');
  }
}

type Prepared = { kind: 'effect'; settings: PreparedSettings | null } | { kind: 'outcome'; outcome: Exclude<MutationOutcome, { kind: 'transient' }> };

const rejected = (code: 'FORBIDDEN' | 'NOT_FOUND' | 'VALIDATION_FAILED', message: string, fields?: Record<string, string[]>): Prepared => ({
  kind: 'outcome',
  outcome: { kind: 'rejected', code, message, ...(fields ? { fields } : {}) },
});

/**
 * Everything that may be slow or fail before the transaction: permission and shape checks,
 * settings validation, the plugin's configure hook, encryption. A failure that is an answer
 * (conflict, rejection) becomes that mutation's result; a transient one stops the push.
 */
async function prepare(deps: AppDeps, pusher: Pusher, m: Mutation, integration: RegisteredIntegration | undefined): Promise<Prepared> {
  if (!pusher.isAdmin) return rejected('FORBIDDEN', 'Only partner admins can change integrations');
  if (!integration) return rejected('NOT_FOUND', 'There is no integration with this key');
  if (m.kind !== 'configure' && m.baseVersion === null) {
    return rejected('VALIDATION_FAILED', 'A change of a configuration needs the version it started from', { baseVersion: ['Required'] });
  }
  if (m.kind === 'configure' && m.baseVersion !== null) {
    return rejected('VALIDATION_FAILED', 'A new configuration has no base version', { baseVersion: ['Must be null for configure'] });
  }
  if (m.kind === 'rollback') return prepareRollback(deps, pusher, m);
  if (m.kind !== 'delete' && !m.settings) return rejected('VALIDATION_FAILED', 'Settings are required', { settings: ['Required'] });
  try {
    if (m.kind === 'configure') return { kind: 'effect', settings: await prepareConfigure(deps, pusher.partnerId, m.integrationKey, m.settings ?? {}) };
    if (m.kind === 'reconfigure') {
      return { kind: 'effect', settings: await prepareReconfigure(deps, pusher.partnerId, m.integrationKey, m.settings ?? {}, m.baseVersion ?? undefined) };
    }
    return { kind: 'effect', settings: null };
  } catch (error) {
    const outcome = outcomeOf(error);
    if (outcome.kind === 'transient') throw new TransientPushError(error);
    logInternal(deps, outcome, error);
    return { kind: 'outcome', outcome };
  }
}

/**
 * A rollback drafted offline: the settings of version `toVersion` (decrypted on the server, the
 * only place that can), then exactly the path of an edit from `baseVersion`, so a change made
 * meanwhile is a conflict like any other.
 */
async function prepareRollback(deps: AppDeps, pusher: Pusher, m: Mutation): Promise<Prepared> {
  if (m.toVersion === undefined) return rejected('VALIDATION_FAILED', 'A rollback needs the version to restore', { toVersion: ['Required'] });
  if (m.settings) return rejected('VALIDATION_FAILED', 'A rollback restores a version; it carries no settings', { settings: ['Must be absent for rollback'] });
  try {
    const settings = await rollbackSettings(deps, pusher.partnerId, m.integrationKey, m.toVersion);
    return { kind: 'effect', settings: await prepareReconfigure(deps, pusher.partnerId, m.integrationKey, settings, m.baseVersion ?? undefined) };
  } catch (error) {
    // A version that does not exist is an answer about this mutation, not a configuration that vanished.
    if (error instanceof AppError && error.code === 'NOT_FOUND' && error.fields?.toVersion) return rejected('NOT_FOUND', error.message, error.fields);
    const outcome = outcomeOf(error);
    if (outcome.kind === 'transient') throw new TransientPushError(error);
    logInternal(deps, outcome, error);
    return { kind: 'outcome', outcome };
  }
}

/** The effect, inside the transaction; returns the applied result. Throws like the REST mutations. */
async function commitEffect(tx: Queryable, deps: AppDeps, pusher: Pusher, m: Mutation, settings: PreparedSettings | null): Promise<MutationResult> {
  const base = m.baseVersion ?? undefined;
  let row: ConfigRow | null;
  if (m.kind === 'delete') {
    await commitDelete(tx, deps.registry, pusher.partnerId, m.integrationKey, pusher.actor, base);
    row = null;
  } else if (!settings) {
    throw new Error('prepared settings missing');
  } else if (m.kind === 'configure') {
    row = await commitConfigure(tx, deps.registry, settings, pusher.actor);
  } else {
    row = await commitReconfigure(tx, deps.registry, settings, pusher.actor, base, m.kind === 'rollback' ? m.toVersion : undefined);
  }
  return { id: m.id, result: 'applied', version: row ? row.version : null };
}

/**
 * Settings keys the server changed after `baseVersion`. Within one configuration's life each
 * version step is one `reconfigured` audit row, so the newest (current − base) of them name the
 * fields. If the configuration was deleted or re-created meanwhile that count does not hold
 * and the answer is [] ("not known"; the client compares base and current itself).
 */
async function conflictFields(tx: Queryable, partnerId: number, key: string, baseVersion: number | null, row: ConfigRow | undefined): Promise<string[]> {
  if (baseVersion === null || !row || row.version <= baseVersion || row.version - baseVersion > 100) return [];
  const steps = await listSettingsChanges(tx, partnerId, key, row.version - baseVersion);
  if (steps.length !== row.version - baseVersion || steps.some((s) => s.action !== 'reconfigured')) return [];
  return [...new Set(steps.flatMap((s) => (s.details.changes ?? []).map((c) => c.field)))].sort();
}

/** A conflict or rejection as the result to store, with the server's current value for a conflict. */
async function resultOf(tx: Queryable, pusher: Pusher, m: Mutation, integration: RegisteredIntegration | undefined, outcome: Exclude<MutationOutcome, { kind: 'transient' }>): Promise<MutationResult> {
  if (outcome.kind === 'rejected' || !integration) {
    const r = outcome.kind === 'rejected' ? outcome : { code: 'NOT_FOUND' as const, message: 'There is no integration with this key', fields: undefined };
    return { id: m.id, result: 'rejected', code: r.code, message: r.message, ...(r.fields ? { fields: r.fields } : {}) };
  }
  // Read in this transaction, so `current` is what the user will be merging against.
  const row = await findConfig(tx, pusher.partnerId, m.integrationKey);
  return {
    id: m.id,
    result: 'conflict',
    message: outcome.message,
    current: buildIntegrationDetail(integration, row),
    conflictFields: await conflictFields(tx, pusher.partnerId, m.integrationKey, m.baseVersion, row),
  };
}

/**
 * Applies mutation `m` (the client's next id) exactly once: prepare outside any transaction,
 * then ONE transaction that locks the client row, re-checks that `m` is still the next id (a
 * concurrent push of the same client may have applied it: then its stored result is returned),
 * runs the effect in a savepoint, stores the result and advances the client. The effect, its
 * result and the new last id commit together or not at all.
 */
export async function applyMutation(deps: AppDeps, pusher: Pusher, clientId: string, m: Mutation): Promise<MutationResult> {
  const integration = deps.registry.get(m.integrationKey);
  const prepared = await prepare(deps, pusher, m, integration);
  try {
    return await withPartner(deps.db, pusher.partnerId, async (tx) => {
      const client = await findSyncClient(tx, pusher.partnerId, clientId, { lock: true });
      if (!client) throw new Error('sync client row missing');
      if (client.lastMutationId >= m.id) return storedResult(m.id, (await findMutationResults(tx, pusher.partnerId, clientId, [m.id])).get(m.id));
      if (client.lastMutationId !== m.id - 1) throw gapError(client.lastMutationId);

      let result: MutationResult;
      if (prepared.kind === 'outcome') {
        result = await resultOf(tx, pusher, m, integration, prepared.outcome);
      } else {
        await tx.query('SAVEPOINT sync_effect');
        try {
          result = await commitEffect(tx, deps, pusher, m, prepared.settings);
          await tx.query('RELEASE SAVEPOINT sync_effect');
        } catch (error) {
          const outcome = outcomeOf(error);
          if (outcome.kind === 'transient') throw new TransientPushError(error);
          logInternal(deps, outcome, error);
          await tx.query('ROLLBACK TO SAVEPOINT sync_effect');
          result = await resultOf(tx, pusher, m, integration, outcome);
        }
      }
      await insertMutationResult(tx, pusher.partnerId, clientId, result);
      await advanceSyncClient(tx, pusher.partnerId, clientId, m.id);
      return result;
    });
  } catch (error) {
    // A lost connection (even at COMMIT) or a serialization failure: the client retries, and if
    // the commit did land, the retry is a replay that gets the stored result.
    if (!(error instanceof TransientPushError) && isTransient(error)) throw new TransientPushError(error);
    throw error;
  }
}

function logInternal(deps: AppDeps, outcome: MutationOutcome, error: unknown): void {
  if (outcome.kind === 'rejected' && outcome.code === 'INTERNAL') deps.log.error({ err: error }, 'sync mutation failed');
}
