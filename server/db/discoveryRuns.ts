import type { DiscoveryCounts, DiscoveryRunStatus } from '../../shared/integrations/discovery.js';
import type { Queryable } from './pool.js';

/** One discovery run as stored (migrations/20261205011000_org_snapshots.sql). */
export interface DiscoveryRunRow {
  id: number;
  partnerId: number;
  integrationKey: string;
  status: DiscoveryRunStatus;
  requestedBy: number | null;
  actor: string;
  pagesDone: number;
  totalPages: number | null;
  organizationsSeen: number;
  organizations: number | null;
  newCount: number | null;
  renamedCount: number | null;
  goneCount: number | null;
  errorMessage: string | null;
  createdAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date;
  finishedAt: Date | null;
}

const columns = `id, partner_id AS "partnerId", integration_key AS "integrationKey", status, requested_by AS "requestedBy", actor,
  pages_done AS "pagesDone", total_pages AS "totalPages", organizations_seen AS "organizationsSeen", organizations,
  new_count AS "newCount", renamed_count AS "renamedCount", gone_count AS "goneCount", error_message AS "errorMessage",
  created_at AS "createdAt", started_at AS "startedAt", heartbeat_at AS "heartbeatAt", finished_at AS "finishedAt"`;

const active = `status IN ('queued', 'running')`;

/**
 * A new queued run, or undefined when one of this integration is already queued or running
 * (the partial unique index decides, so two starts at once cannot both insert).
 */
export async function insertRun(q: Queryable, partnerId: number, run: { key: string; requestedBy: number | null; actor: string }): Promise<DiscoveryRunRow | undefined> {
  const { rows } = await q.query<DiscoveryRunRow>(
    `INSERT INTO discovery_runs (partner_id, integration_key, requested_by, actor) VALUES ($1, $2, $3, $4)
     ON CONFLICT (partner_id, integration_key) WHERE ${active} DO NOTHING
     RETURNING ${columns}`,
    [partnerId, run.key, run.requestedBy, run.actor],
  );
  return rows[0];
}

/** The queued or running run of an integration, if any. */
export async function findActiveRun(q: Queryable, partnerId: number, key: string): Promise<DiscoveryRunRow | undefined> {
  const { rows } = await q.query<DiscoveryRunRow>(
    `SELECT ${columns} FROM discovery_runs WHERE partner_id = $1 AND integration_key = $2 AND ${active}`,
    [partnerId, key],
  );
  return rows[0];
}

/** One run of an integration by id, or its newest run when `runId` is undefined. */
export async function findRun(q: Queryable, partnerId: number, key: string, runId?: number): Promise<DiscoveryRunRow | undefined> {
  const { rows } = await q.query<DiscoveryRunRow>(
    `SELECT ${columns} FROM discovery_runs
      WHERE partner_id = $1 AND integration_key = $2 AND ($3::bigint IS NULL OR id = $3)
      ORDER BY id DESC LIMIT 1`,
    [partnerId, key, runId ?? null],
  );
  return rows[0];
}

/**
 * Claims a run for a worker: queued (or running, when a retry takes over after a dead worker)
 * becomes running with its progress reset. Undefined when it has finished meanwhile.
 */
export async function markRunning(q: Queryable, partnerId: number, runId: number): Promise<DiscoveryRunRow | undefined> {
  const { rows } = await q.query<DiscoveryRunRow>(
    `UPDATE discovery_runs SET status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(),
            pages_done = 0, total_pages = NULL, organizations_seen = 0
      WHERE partner_id = $1 AND id = $2 AND ${active}
      RETURNING ${columns}`,
    [partnerId, runId],
  );
  return rows[0];
}

/** Progress of a running run (also its heartbeat); false when it is no longer running. */
export async function recordProgress(q: Queryable, partnerId: number, runId: number, progress: { pagesDone: number; totalPages: number | null; seen: number }): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE discovery_runs SET pages_done = $3, total_pages = $4, organizations_seen = $5, heartbeat_at = now()
      WHERE partner_id = $1 AND id = $2 AND status = 'running'`,
    [partnerId, runId, progress.pagesDone, progress.totalPages, progress.seen],
  );
  return rowCount === 1;
}

/**
 * Ends a queued or running run: succeeded with its counts, or failed with why. Returns the row,
 * or undefined when it had already ended (someone else finished or gave it up).
 */
export async function finishRun(
  q: Queryable,
  partnerId: number,
  runId: number,
  end: { status: 'succeeded'; counts: DiscoveryCounts } | { status: 'failed'; error: string },
): Promise<DiscoveryRunRow | undefined> {
  const counts = end.status === 'succeeded' ? end.counts : undefined;
  const { rows } = await q.query<DiscoveryRunRow>(
    `UPDATE discovery_runs SET status = $3, finished_at = now(), heartbeat_at = now(), error_message = $4,
            organizations = $5, new_count = $6, renamed_count = $7, gone_count = $8
      WHERE partner_id = $1 AND id = $2 AND ${active}
      RETURNING ${columns}`,
    [partnerId, runId, end.status, end.status === 'failed' ? end.error : null, counts?.organizations ?? null, counts?.new ?? null, counts?.renamed ?? null, counts?.gone ?? null],
  );
  return rows[0];
}

/** Puts a running run back in the queue (its worker is stopping; a retry will pick it up). */
export async function requeueRun(q: Queryable, partnerId: number, runId: number): Promise<void> {
  await q.query(`UPDATE discovery_runs SET status = 'queued', heartbeat_at = now() WHERE partner_id = $1 AND id = $2 AND status = 'running'`, [partnerId, runId]);
}
