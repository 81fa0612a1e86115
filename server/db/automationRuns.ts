import type { RunStatus } from '../../shared/automations.js';
import type { Queryable } from './pool.js';

/** Automation runs and their steps (issue 23). Every function takes the partner id and filters on it. */

export interface StepError {
  code: string;
  message: string;
}

export interface RunRow {
  id: number;
  automationId: number;
  automationName: string;
  automationVersion: number;
  triggerKind: string;
  triggerData: unknown;
  status: RunStatus;
  nextStep: number;
  jobAttempts: number;
  leaseLive: boolean;
  jobId: string | null;
  error: StepError | null;
  rerunOf: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface StepRow {
  index: number;
  name: string;
  actionId: string;
  status: 'running' | 'succeeded' | 'failed' | 'skipped';
  attempts: number;
  input: unknown;
  output: unknown;
  error: StepError | null;
  actionRunId: number | null;
  durationMs: number | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const runColumns = `r.id, r.automation_id AS "automationId", coalesce(a.name, '') AS "automationName", r.automation_version AS "automationVersion",
  r.trigger_kind AS "triggerKind", r.trigger_data AS "triggerData", r.status, r.next_step AS "nextStep", r.job_attempts AS "jobAttempts",
  coalesce(r.lease_until > now(), false) AS "leaseLive", r.job_id AS "jobId", r.error, r.rerun_of AS "rerunOf", r.created_at AS "createdAt",
  r.started_at AS "startedAt", r.finished_at AS "finishedAt"`;
const runFrom = 'FROM automation_runs r LEFT JOIN automations a ON a.partner_id = r.partner_id AND a.id = r.automation_id';

export async function insertRun(
  db: Queryable,
  partnerId: number,
  run: { automationId: number; automationVersion: number; triggerKind: string; triggerData: unknown; nextStep?: number; rerunOf?: number | null },
): Promise<number> {
  const res = await db.query<{ id: number }>(
    `INSERT INTO automation_runs (partner_id, automation_id, automation_version, trigger_kind, trigger_data, status, next_step, rerun_of)
     VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7) RETURNING id`,
    [partnerId, run.automationId, run.automationVersion, run.triggerKind, JSON.stringify(run.triggerData), run.nextStep ?? 0, run.rerunOf ?? null],
  );
  return (res.rows[0] as { id: number }).id;
}

export async function runsInLastHour(db: Queryable, partnerId: number): Promise<number> {
  return Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM automation_runs WHERE partner_id = $1 AND created_at > now() - interval '1 hour'`, [partnerId])).rows[0]?.n ?? 0);
}

export async function findRun(db: Queryable, partnerId: number, id: number, lock = false): Promise<RunRow | undefined> {
  if (lock) await db.query('SELECT 1 FROM automation_runs WHERE partner_id = $1 AND id = $2 FOR UPDATE', [partnerId, id]);
  return (await db.query<RunRow>(`SELECT ${runColumns} ${runFrom} WHERE r.partner_id = $1 AND r.id = $2`, [partnerId, id])).rows[0];
}

export async function listRuns(db: Queryable, partnerId: number, q: { automationId?: number | undefined; status?: RunStatus | undefined; before?: number | undefined; limit: number }): Promise<RunRow[]> {
  return (
    await db.query<RunRow>(
      `SELECT ${runColumns} ${runFrom} WHERE r.partner_id = $1 AND ($2::bigint IS NULL OR r.automation_id = $2) AND ($3::text IS NULL OR r.status = $3)
       AND ($4::bigint IS NULL OR r.id < $4) ORDER BY r.id DESC LIMIT $5`,
      [partnerId, q.automationId ?? null, q.status ?? null, q.before ?? null, q.limit],
    )
  ).rows;
}

/** Runs of the automation holding a live lease, other than this one (the concurrency limit counts them). */
export async function liveRunsOf(db: Queryable, partnerId: number, automationId: number, except: number): Promise<number> {
  return Number(
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM automation_runs WHERE partner_id = $1 AND automation_id = $2 AND id <> $3 AND status = 'running' AND lease_until > now()`, [partnerId, automationId, except])).rows[0]?.n ?? 0,
  );
}

export async function updateRun(
  db: Queryable,
  partnerId: number,
  id: number,
  set: Partial<{ status: RunStatus; nextStep: number; jobAttempts: number; jobId: string | null; leaseUntil: Date | null; error: StepError | null; startedAt: Date; finishedAt: Date | null }>,
): Promise<void> {
  const cols: string[] = [];
  const values: unknown[] = [partnerId, id];
  const add = (col: string, v: unknown) => {
    values.push(v);
    cols.push(`${col} = $${values.length}`);
  };
  if (set.status !== undefined) add('status', set.status);
  if (set.nextStep !== undefined) add('next_step', set.nextStep);
  if (set.jobAttempts !== undefined) add('job_attempts', set.jobAttempts);
  if (set.jobId !== undefined) add('job_id', set.jobId);
  if (set.leaseUntil !== undefined) add('lease_until', set.leaseUntil);
  if (set.error !== undefined) add('error', set.error === null ? null : JSON.stringify(set.error));
  if (set.startedAt !== undefined) add('started_at', set.startedAt);
  if (set.finishedAt !== undefined) add('finished_at', set.finishedAt);
  if (cols.length === 0) return;
  await db.query(`UPDATE automation_runs SET ${cols.join(', ')} WHERE partner_id = $1 AND id = $2`, values);
}

const stepColumns = `step_index AS "index", step_name AS "name", action_id AS "actionId", status, attempts, input, output, error,
  action_run_id AS "actionRunId", duration_ms AS "durationMs", started_at AS "startedAt", finished_at AS "finishedAt"`;

export async function listSteps(db: Queryable, partnerId: number, runId: number): Promise<StepRow[]> {
  return (await db.query<StepRow>(`SELECT ${stepColumns} FROM automation_run_steps WHERE partner_id = $1 AND run_id = $2 ORDER BY step_index`, [partnerId, runId])).rows;
}

/** Writes a step's state (one row per step; a retry or re-run updates it in place). */
export async function upsertStep(
  db: Queryable,
  partnerId: number,
  runId: number,
  s: { index: number; name: string; actionId: string; status: StepRow['status']; attempts: number; input: unknown; output: unknown; error: StepError | null; actionRunId: number | null; durationMs: number | null; finished: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO automation_run_steps (partner_id, run_id, step_index, step_name, action_id, status, attempts, input, output, error, action_run_id, duration_ms, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $13 THEN now() END)
     ON CONFLICT (partner_id, run_id, step_index) DO UPDATE SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, input = EXCLUDED.input,
       output = EXCLUDED.output, error = EXCLUDED.error, action_run_id = EXCLUDED.action_run_id, duration_ms = EXCLUDED.duration_ms,
       finished_at = EXCLUDED.finished_at`,
    [partnerId, runId, s.index, s.name, s.actionId, s.status, s.attempts, JSON.stringify(s.input ?? null), JSON.stringify(s.output ?? null), s.error ? JSON.stringify(s.error) : null, s.actionRunId, s.durationMs === null ? null : Math.round(s.durationMs), s.finished],
  );
}

/** Copies the finished steps before `upTo` of one run into another (a re-run from the failed step keeps their outputs). */
export async function copySteps(db: Queryable, partnerId: number, fromRun: number, toRun: number, upTo: number): Promise<void> {
  await db.query(
    `INSERT INTO automation_run_steps (partner_id, run_id, step_index, step_name, action_id, status, attempts, input, output, error, action_run_id, duration_ms, started_at, finished_at)
     SELECT partner_id, $3, step_index, step_name, action_id, status, attempts, input, output, error, action_run_id, duration_ms, started_at, finished_at
     FROM automation_run_steps WHERE partner_id = $1 AND run_id = $2 AND step_index < $4`,
    [partnerId, fromRun, toRun, upTo],
  );
}
