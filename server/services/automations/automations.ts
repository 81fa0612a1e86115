import {
  automationDefinitionSchema,
  automationLimits,
  type Automation,
  type AutomationDefinition,
  type CreateAutomationInput,
  type RunStatus,
  type UpdateAutomationInput,
} from '../../../shared/automations.js';
import { AppError } from '../../../shared/errors.js';
import * as db from '../../db/automations.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../principal.js';
import { actorFor } from '../integrations/actor.js';
import { enqueueRuns } from './enqueue.js';
import { nextCronTime, typeCheck } from './typecheck.js';

/**
 * Automations of a partner (issue 23 §1–2): saved only after the type check passes, audited as
 * versions (automation_versions), updated with optimistic concurrency on `version`, within the
 * per-partner limits. Technicians read; partner admins edit and run (the router checks roles).
 */

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toAutomation(row: db.AutomationRow): Automation {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    trigger: row.trigger,
    steps: row.steps,
    concurrency: row.concurrency,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    nextRunAt: iso(row.nextRunAt),
    lastRun: row.lastRunId !== null && row.lastRunStatus && row.lastRunAt ? { id: row.lastRunId, status: row.lastRunStatus as RunStatus, at: new Date(row.lastRunAt).toISOString() } : null,
    successRate: row.successRate === null ? null : Math.round(row.successRate * 1000) / 1000,
  };
}

const definitionOf = (row: db.AutomationRow): AutomationDefinition => ({ name: row.name, trigger: row.trigger, steps: row.steps, concurrency: row.concurrency });

/** `viewer`: whose scope reads (the dev partner reading another partner's; row-level security lets it read, never write). */
export async function listAutomations(deps: AppDeps, partnerId: number, viewer = partnerId): Promise<Automation[]> {
  return (await withPartner(deps.db, viewer, (tx) => db.listAutomations(tx, partnerId))).map(toAutomation);
}

async function requireRow(deps: AppDeps, partnerId: number, id: number): Promise<db.AutomationRow> {
  const row = await withPartner(deps.db, partnerId, (tx) => db.findAutomation(tx, partnerId, id));
  if (!row) throw new AppError('NOT_FOUND', 'There is no automation with this id');
  return row;
}

export async function getAutomation(deps: AppDeps, partnerId: number, id: number): Promise<Automation> {
  return toAutomation(await requireRow(deps, partnerId, id));
}

const nextRunFor = (d: AutomationDefinition, enabled: boolean) => (enabled && d.trigger.kind === 'schedule' ? nextCronTime(d.trigger.cron, d.trigger.timeZone) : null);

export async function createAutomation(deps: AppDeps, principal: Principal, input: CreateAutomationInput): Promise<Automation> {
  const { enabled, ...rest } = input;
  const definition = automationDefinitionSchema.parse(rest);
  await typeCheck(definition, deps.registry);
  const { partnerId } = principal;
  const id = await withPartner(deps.db, partnerId, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), $2::int)', ['automations', partnerId]);
    if ((await db.countAutomations(tx, partnerId)) >= automationLimits.automations) {
      throw new AppError('CONFLICT', `A partner has at most ${automationLimits.automations} automations: delete one to add another`);
    }
    const created = await db.insertAutomation(tx, partnerId, { definition, enabled, nextRunAt: nextRunFor(definition, enabled), userId: principal.userId });
    await db.insertVersion(tx, partnerId, { automationId: created, version: 1, change: 'created', definition: { ...definition, enabled }, ...actorFor(principal) });
    return created;
  });
  return getAutomation(deps, partnerId, id);
}

const conflict = () => new AppError('CONFLICT', 'Someone else changed this automation since you opened it: reload it and apply your change again');

export async function updateAutomation(deps: AppDeps, principal: Principal, input: UpdateAutomationInput): Promise<Automation> {
  const { id, baseVersion, ...rest } = input;
  const definition = automationDefinitionSchema.parse(rest);
  await typeCheck(definition, deps.registry);
  const { partnerId } = principal;
  await withPartner(deps.db, partnerId, async (tx) => {
    const row = await db.findAutomation(tx, partnerId, id, true);
    if (!row) throw new AppError('NOT_FOUND', 'There is no automation with this id');
    if (!(await db.updateAutomation(tx, partnerId, id, baseVersion, { definition, enabled: row.enabled, nextRunAt: nextRunFor(definition, row.enabled), userId: principal.userId }))) throw conflict();
    await db.insertVersion(tx, partnerId, { automationId: id, version: baseVersion + 1, change: 'updated', definition: { ...definition, enabled: row.enabled }, ...actorFor(principal) });
  });
  return getAutomation(deps, partnerId, id);
}

/** Enabling starts new runs; disabling stops them (a run in flight finishes its current step and stops). */
export async function setEnabled(deps: AppDeps, principal: Principal, input: { id: number; enabled: boolean; baseVersion: number }): Promise<Automation> {
  const { partnerId } = principal;
  await withPartner(deps.db, partnerId, async (tx) => {
    const row = await db.findAutomation(tx, partnerId, input.id, true);
    if (!row) throw new AppError('NOT_FOUND', 'There is no automation with this id');
    const definition = definitionOf(row);
    if (!(await db.updateAutomation(tx, partnerId, input.id, input.baseVersion, { definition, enabled: input.enabled, nextRunAt: nextRunFor(definition, input.enabled), userId: principal.userId }))) throw conflict();
    await db.insertVersion(tx, partnerId, { automationId: input.id, version: input.baseVersion + 1, change: input.enabled ? 'enabled' : 'disabled', definition: { ...definition, enabled: input.enabled }, ...actorFor(principal) });
  });
  return getAutomation(deps, partnerId, input.id);
}

export async function deleteAutomation(deps: AppDeps, principal: Principal, id: number): Promise<{ id: number; deleted: true }> {
  const { partnerId } = principal;
  await withPartner(deps.db, partnerId, async (tx) => {
    const row = await db.findAutomation(tx, partnerId, id, true);
    if (!row) throw new AppError('NOT_FOUND', 'There is no automation with this id');
    // The deletion stays in the trail (versions outlive the automation: no foreign key).
    await db.insertVersion(tx, partnerId, { automationId: id, version: row.version + 1, change: 'deleted', definition: definitionOf(row), ...actorFor(principal) });
    await db.deleteAutomation(tx, partnerId, id);
  });
  return { id, deleted: true };
}

export async function listVersions(deps: AppDeps, partnerId: number, id: number) {
  await requireRow(deps, partnerId, id);
  const rows = await withPartner(deps.db, partnerId, (tx) => db.listVersions(tx, partnerId, id));
  return { items: rows.map((r) => ({ version: r.version, change: r.change, actor: r.actor, at: new Date(r.at).toISOString(), definition: r.definition })) };
}

/** "Run now": by hand, with the manual trigger's input form (other triggers get the input as is). */
export async function runNow(deps: AppDeps, principal: Principal, input: { id: number; input: Record<string, unknown> }): Promise<{ runId: number }> {
  const row = await requireRow(deps, principal.partnerId, input.id);
  if (!row.enabled) throw new AppError('CONFLICT', 'This automation is disabled: enable it to run it');
  const trigger = row.trigger;
  const fields: Record<string, string[]> = {};
  if (trigger.kind === 'manual') {
    for (const spec of trigger.inputs) {
      const v = input.input[spec.name];
      if (v === undefined || v === '') {
        if (spec.required) fields[`input.${spec.name}`] = ['Required'];
      } else if (typeof v !== spec.type) fields[`input.${spec.name}`] = [`Must be a ${spec.type}`];
    }
    for (const key of Object.keys(input.input)) if (!trigger.inputs.some((s) => s.name === key)) fields[`input.${key}`] = ['Unknown input'];
  }
  if (JSON.stringify(input.input).length > 16_384) fields.input = ['The input must be at most 16 KB'];
  if (Object.keys(fields).length > 0) throw new AppError('VALIDATION_FAILED', 'Some inputs are not valid', { fields });
  const data = { kind: 'manual', userId: principal.userId, input: input.input };
  const [runId] = await enqueueRuns(deps, principal.partnerId, [row], { kind: 'manual', data }, { throwAtLimit: true });
  return { runId: runId as number };
}
