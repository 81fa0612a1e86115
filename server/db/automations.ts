import type { AutomationDefinition, Trigger } from '../../shared/automations.js';
import type { Queryable } from './pool.js';

/** Automations and their versions (issue 23). Every function takes the partner id and filters on it. */

export interface AutomationRow {
  id: number;
  partnerId: number;
  name: string;
  enabled: boolean;
  trigger: Trigger;
  steps: AutomationDefinition['steps'];
  concurrency: number;
  version: number;
  nextRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: number | null;
  lastRunId: number | null;
  lastRunStatus: string | null;
  lastRunAt: Date | null;
  successRate: number | null;
}

const columns = `a.id, a.partner_id AS "partnerId", a.name, a.enabled, a.trigger, a.steps, a.concurrency, a.version,
  a.next_run_at AS "nextRunAt", a.created_at AS "createdAt", a.updated_at AS "updatedAt", a.updated_by AS "updatedBy",
  last.id AS "lastRunId", last.status AS "lastRunStatus", last.created_at AS "lastRunAt",
  (SELECT avg((r.status = 'succeeded')::int)::float8 FROM (SELECT status FROM automation_runs r
     WHERE r.partner_id = a.partner_id AND r.automation_id = a.id AND r.status IN ('succeeded', 'failed', 'dead')
     ORDER BY r.id DESC LIMIT 50) r) AS "successRate"`;
const from = `FROM automations a LEFT JOIN LATERAL (SELECT id, status, created_at FROM automation_runs r
  WHERE r.partner_id = a.partner_id AND r.automation_id = a.id ORDER BY r.id DESC LIMIT 1) last ON true`;

export async function listAutomations(db: Queryable, partnerId: number): Promise<AutomationRow[]> {
  return (await db.query<AutomationRow>(`SELECT ${columns} ${from} WHERE a.partner_id = $1 ORDER BY a.name, a.id`, [partnerId])).rows;
}

export async function findAutomation(db: Queryable, partnerId: number, id: number, lock = false): Promise<AutomationRow | undefined> {
  if (lock) await db.query('SELECT 1 FROM automations WHERE partner_id = $1 AND id = $2 FOR UPDATE', [partnerId, id]);
  return (await db.query<AutomationRow>(`SELECT ${columns} ${from} WHERE a.partner_id = $1 AND a.id = $2`, [partnerId, id])).rows[0];
}

export async function countAutomations(db: Queryable, partnerId: number): Promise<number> {
  return Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM automations WHERE partner_id = $1', [partnerId])).rows[0]?.n ?? 0);
}

interface Write {
  definition: AutomationDefinition;
  enabled: boolean;
  nextRunAt: Date | null;
  userId: number;
}

const triggerKey = (t: Trigger) => (t.kind === 'health' || t.kind === 'inbound' ? t.integrationKey : null);

export async function insertAutomation(db: Queryable, partnerId: number, w: Write): Promise<number> {
  const d = w.definition;
  const res = await db.query<{ id: number }>(
    `INSERT INTO automations (partner_id, name, enabled, trigger, trigger_kind, trigger_key, steps, concurrency, next_run_at, created_by, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
    [partnerId, d.name, w.enabled, JSON.stringify(d.trigger), d.trigger.kind, triggerKey(d.trigger), JSON.stringify(d.steps), d.concurrency, w.nextRunAt, w.userId],
  );
  return (res.rows[0] as { id: number }).id;
}

/** Writes a new version if the row is still at `baseVersion`; false on a conflict. */
export async function updateAutomation(db: Queryable, partnerId: number, id: number, baseVersion: number, w: Write): Promise<boolean> {
  const d = w.definition;
  const res = await db.query(
    `UPDATE automations SET name = $4, enabled = $5, trigger = $6, trigger_kind = $7, trigger_key = $8, steps = $9, concurrency = $10,
       next_run_at = $11, updated_by = $12, updated_at = now(), version = version + 1
     WHERE partner_id = $1 AND id = $2 AND version = $3`,
    [partnerId, id, baseVersion, d.name, w.enabled, JSON.stringify(d.trigger), d.trigger.kind, triggerKey(d.trigger), JSON.stringify(d.steps), d.concurrency, w.nextRunAt, w.userId],
  );
  return (res.rowCount ?? 0) > 0;
}

export async function deleteAutomation(db: Queryable, partnerId: number, id: number): Promise<boolean> {
  return ((await db.query('DELETE FROM automations WHERE partner_id = $1 AND id = $2', [partnerId, id])).rowCount ?? 0) > 0;
}

export async function insertVersion(
  db: Queryable,
  partnerId: number,
  v: { automationId: number; version: number; change: string; definition: unknown; actor: string; userId: number | null },
): Promise<void> {
  await db.query(
    `INSERT INTO automation_versions (partner_id, automation_id, version, change, definition, actor, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (partner_id, automation_id, version) DO NOTHING`,
    [partnerId, v.automationId, v.version, v.change, JSON.stringify(v.definition), v.actor, v.userId],
  );
}

export async function listVersions(db: Queryable, partnerId: number, automationId: number) {
  return (
    await db.query<{ version: number; change: string; actor: string; at: Date; definition: unknown }>(
      'SELECT version, change, actor, at, definition FROM automation_versions WHERE partner_id = $1 AND automation_id = $2 ORDER BY version DESC, at DESC LIMIT 100',
      [partnerId, automationId],
    )
  ).rows;
}

/** Enabled automations of a partner with this trigger kind, for the key or for any integration. */
export async function triggeredBy(db: Queryable, partnerId: number, kind: Trigger['kind'], key: string | null): Promise<AutomationRow[]> {
  return (
    await db.query<AutomationRow>(
      `SELECT ${columns} ${from} WHERE a.partner_id = $1 AND a.enabled AND a.trigger_kind = $2 AND (a.trigger_key IS NULL OR a.trigger_key = $3)`,
      [partnerId, kind, key],
    )
  ).rows;
}

/**
 * Schedules due now, across partners (the minute tick runs as the system): each claimed by moving
 * its next_run_at forward in the same statement, so N instances fire each due time once.
 */
export async function dueSchedules(db: Queryable, now: Date): Promise<{ partnerId: number; id: number; nextRunAt: Date; trigger: Trigger }[]> {
  return (
    await db.query(
      `SELECT partner_id AS "partnerId", id, next_run_at AS "nextRunAt", trigger FROM automations
       WHERE enabled AND trigger_kind = 'schedule' AND next_run_at <= $1 ORDER BY next_run_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
      [now],
    )
  ).rows;
}

export async function setNextRun(db: Queryable, partnerId: number, id: number, next: Date): Promise<void> {
  await db.query('UPDATE automations SET next_run_at = $3 WHERE partner_id = $1 AND id = $2', [partnerId, id, next]);
}

/** The steps of an automation as saved at one version (a run works the version it started with). */
export async function stepsAtVersion(db: Queryable, partnerId: number, automationId: number, version: number): Promise<AutomationDefinition['steps'] | undefined> {
  const row = (await db.query<{ steps: AutomationDefinition['steps'] }>(`SELECT definition->'steps' AS steps FROM automation_versions WHERE partner_id = $1 AND automation_id = $2 AND version = $3`, [partnerId, automationId, version])).rows[0];
  return row?.steps ?? undefined;
}
