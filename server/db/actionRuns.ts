import type { Queryable } from './pool.js';

// The exactly-once record of side-effectful action runs (issue 15, docs/actions.md). Every query
// names its partner; times compare against the database clock so instances never disagree.

export interface ActionRunRow {
  id: number;
  partnerId: number;
  idempotencyKey: string;
  actionId: string;
  integrationKey: string;
  inputHash: string;
  status: 'running' | 'succeeded' | 'failed';
  output: unknown;
  error: StoredRunError | null;
  ticketLinkId: number | null;
  userId: number | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Seconds until the lease runs out (negative once expired), by the database clock. */
  leaseSecondsLeft: number;
  expired: boolean;
}

/** What a failed run stored: its code and message, and the API error a replay answers with. */
export interface StoredRunError {
  code: string;
  message: string;
  /** The AppError code the first answer carried (VENDOR_ERROR, VALIDATION_FAILED …). */
  appCode: string;
  fields?: Record<string, string[]>;
}

const columns = `id, partner_id AS "partnerId", idempotency_key AS "idempotencyKey", action_id AS "actionId",
  integration_key AS "integrationKey", input_hash AS "inputHash", status, output, error,
  ticket_link_id AS "ticketLinkId", user_id AS "userId", started_at AS "startedAt", finished_at AS "finishedAt",
  extract(epoch FROM lease_until - now())::float8 AS "leaseSecondsLeft", expires_at <= now() AS expired`;

export interface NewRun {
  idempotencyKey: string;
  actionId: string;
  integrationKey: string;
  inputHash: string;
  userId: number;
  leaseMs: number;
  ttlMs: number;
}

/** Claims the key: the new row, or undefined when the partner already has a row for it. */
export async function claimRun(db: Queryable, partnerId: number, run: NewRun): Promise<ActionRunRow | undefined> {
  const { rows } = await db.query<ActionRunRow>(
    `INSERT INTO action_runs (partner_id, idempotency_key, action_id, integration_key, input_hash, status, user_id, lease_until, expires_at)
     VALUES ($1, $2, $3, $4, $5, 'running', $6, now() + make_interval(secs => $7::float8 / 1000), now() + make_interval(secs => $8::float8 / 1000))
     ON CONFLICT (partner_id, idempotency_key) DO NOTHING
     RETURNING ${columns}`,
    [partnerId, run.idempotencyKey, run.actionId, run.integrationKey, run.inputHash, run.userId, run.leaseMs, run.ttlMs],
  );
  return rows[0];
}

/** Whether the key has a row that still answers for it (not past its expiry), without locking it. */
export async function hasLiveRun(db: Queryable, partnerId: number, idempotencyKey: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM action_runs WHERE partner_id = $1 AND idempotency_key = $2 AND expires_at > now()`, [partnerId, idempotencyKey]);
  return rows.length > 0;
}

/** The row of a key, locked for the rest of the transaction. */
export async function lockRun(db: Queryable, partnerId: number, idempotencyKey: string): Promise<ActionRunRow | undefined> {
  const { rows } = await db.query<ActionRunRow>(`SELECT ${columns} FROM action_runs WHERE partner_id = $1 AND idempotency_key = $2 FOR UPDATE`, [partnerId, idempotencyKey]);
  return rows[0];
}

/** Takes over an expired (finished) row for a new request with the same key, as a fresh claim. */
export async function reclaimExpiredRun(db: Queryable, partnerId: number, id: number, run: NewRun): Promise<ActionRunRow> {
  const { rows } = await db.query<ActionRunRow>(
    `UPDATE action_runs SET action_id = $3, integration_key = $4, input_hash = $5, status = 'running', output = NULL, error = NULL,
       ticket_link_id = NULL, user_id = $6, started_at = now(), finished_at = NULL,
       lease_until = now() + make_interval(secs => $7::float8 / 1000), expires_at = now() + make_interval(secs => $8::float8 / 1000)
     WHERE partner_id = $1 AND id = $2 RETURNING ${columns}`,
    [partnerId, id, run.actionId, run.integrationKey, run.inputHash, run.userId, run.leaseMs, run.ttlMs],
  );
  return rows[0] as ActionRunRow;
}

/**
 * Records how a run ended. The real outcome wins even over an `outcome_unknown` written by
 * another instance that thought this one dead: it is what the vendor actually did.
 */
export async function finishRun(
  db: Queryable,
  partnerId: number,
  id: number,
  result: { status: 'succeeded' | 'failed'; output?: unknown; error?: StoredRunError; ticketLinkId?: number | null },
): Promise<ActionRunRow | undefined> {
  const { rows } = await db.query<ActionRunRow>(
    `UPDATE action_runs SET status = $3, output = $4::jsonb, error = $5::jsonb, ticket_link_id = $6, finished_at = now()
     WHERE partner_id = $1 AND id = $2 RETURNING ${columns}`,
    [partnerId, id, result.status, result.output === undefined ? null : JSON.stringify(result.output), result.error ? JSON.stringify(result.error) : null, result.ticketLinkId ?? null],
  );
  return rows[0];
}

/**
 * Deletes runs whose stored result has expired (the pruning job; the owner connection), including
 * claims abandoned mid-call that nobody retried (still `running`, lease long gone); never a run
 * whose lease is live. Returns how many.
 */
export async function pruneExpiredRuns(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM action_runs WHERE expires_at <= now() AND (status <> 'running' OR lease_until <= now())`);
  return rowCount ?? 0;
}
