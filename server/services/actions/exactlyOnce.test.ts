import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pruneExpiredRuns } from '../../db/actionRuns.js';
import { createActionWorld, type ActionWorld } from '../../test/actionWorld.js';
import { inputHash } from './canonical.js';
import { outcomeUnknownMessage } from './exactlyOnce.js';

/**
 * Exactly once per idempotency key and partner, against the real database and a vendor that
 * counts what it receives: two instances, a restart, concurrent duplicates, a dead instance's
 * claim, expiry.
 */
let w: ActionWorld;
const action = 'ticketdesk.tickets.comment';
const body = (key: string, text = 'Backups verified') => ({ input: { ticketId: '101', body: text }, idempotencyKey: key });
const comments = () => w.desk.count('POST', '/tickets/101/comment');

beforeAll(async () => {
  w = await createActionWorld();
  await w.configure(w.a.admin);
});
afterAll(() => w.close());
beforeEach(() => {
  w.desk.calls.clear();
  w.desk.delayMs = 0;
});

describe('exactly once', () => {
  it('one vendor call for the same key sent to two instances at once; the loser hears "in progress", then the result', async () => {
    const other = await w.instance();
    try {
      w.desk.delayMs = 400;
      const [one, two] = await Promise.all([w.run(w.a.admin, action, body('two-inst-0001')), other.run(w.a.admin, action, body('two-inst-0001'))]);
      const statuses = [one.statusCode, two.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const busy = (one.statusCode === 409 ? one : two).json().error;
      expect(busy.message).toMatch(/in progress/);
      expect(busy.details.reason).toBe('in_progress');
      expect(Number((one.statusCode === 409 ? one : two).headers['retry-after'])).toBeGreaterThan(0);
      const done = await other.run(w.a.admin, action, body('two-inst-0001'));
      expect(done.json()).toMatchObject({ status: 'succeeded', replayed: true });
      expect(comments()).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('a retry of a key that already ran gets its stored result even after the integration turned Error; a new key is refused', async () => {
    const first = await w.run(w.a.admin, action, body('lost-answer-0001'));
    expect(first.statusCode).toBe(200);
    const pool = w.server.deps.db.pool;
    await pool.query(`UPDATE integration_configurations SET status = 'Error', error_message = 'Token revoked' WHERE partner_id = $1`, [w.a.id]);
    try {
      const again = await w.run(w.a.admin, action, body('lost-answer-0001'));
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ ...first.json(), replayed: true });
      const fresh = await w.run(w.a.admin, action, body('lost-answer-0002'));
      expect([fresh.statusCode, fresh.json().error.details]).toEqual([409, { code: 'error', message: 'Token revoked' }]);
      expect(comments()).toBe(1);
    } finally {
      await pool.query(`UPDATE integration_configurations SET status = 'Active', error_message = NULL WHERE partner_id = $1`, [w.a.id]);
    }
  });

  it('a retry after a restart (a new instance) returns the stored result without calling the vendor', async () => {
    const first = await w.instance();
    const result = (await first.run(w.a.admin, action, body('restart-0001'))).json();
    await first.close();
    const restarted = await w.instance();
    try {
      const again = await restarted.run(w.a.admin, action, body('restart-0001'));
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ ...result, replayed: true });
      expect(comments()).toBe(1);
    } finally {
      await restarted.close();
    }
  });

  it('20 concurrent duplicates: one vendor call, the others "in progress" or the stored result', async () => {
    w.desk.delayMs = 150;
    const answers = await Promise.all(Array.from({ length: 20 }, () => w.run(w.a.admin, action, body('dupes-00001'))));
    expect(comments()).toBe(1);
    const ok = answers.filter((a) => a.statusCode === 200);
    expect(ok.filter((a) => !a.json().replayed)).toHaveLength(1);
    for (const a of answers) {
      if (a.statusCode === 409) expect(a.json().error.details.reason).toBe('in_progress');
      else expect(a.statusCode).toBe(200);
    }
    const runIds = new Set(ok.map((a) => a.json().runId));
    expect(runIds.size).toBe(1);
  });

  it('keys are per partner: the same key at another partner is its own request', async () => {
    await w.configure(w.b.admin);
    expect((await w.run(w.a.admin, action, body('shared-key-01'))).statusCode).toBe(200);
    expect((await w.run(w.b.admin, action, body('shared-key-01'))).json().replayed).toBe(false);
    expect(comments()).toBe(2);
  });

  it('a claim whose instance died mid-call (expired lease) is outcome_unknown, and the vendor is never called again for it', async () => {
    const parsedInput = { ticketId: '101', subject: undefined, body: 'Lost in flight' };
    await w.server.deps.db.pool.query(
      `INSERT INTO action_runs (partner_id, idempotency_key, action_id, integration_key, input_hash, status, user_id, started_at, lease_until, expires_at)
       VALUES ($1, 'dead-inst-001', $2, 'ticketdesk', $3, 'running', $4, now() - interval '5 minutes', now() - interval '1 minute', now() + interval '7 days')`,
      [w.a.id, action, inputHash({ ticketId: parsedInput.ticketId, body: parsedInput.body }), w.a.admin.id],
    );
    for (let i = 0; i < 2; i++) {
      const res = await w.run(w.a.admin, action, body('dead-inst-001', 'Lost in flight'));
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'CONFLICT', message: outcomeUnknownMessage, details: { status: 'failed', error: { code: 'outcome_unknown' }, replayed: true } });
    }
    expect(comments()).toBe(0);
    const { rows } = await w.server.deps.db.pool.query(`SELECT status, error->>'code' AS code FROM action_runs WHERE idempotency_key = 'dead-inst-001'`);
    expect(rows).toEqual([{ status: 'failed', code: 'outcome_unknown' }]);
  });

  it('expired results are pruned; a key whose result expired is a new request', async () => {
    await w.run(w.a.admin, action, body('expiring-0001'));
    await w.server.deps.db.pool.query(`UPDATE action_runs SET expires_at = now() - interval '1 second' WHERE idempotency_key = 'expiring-0001'`);
    // Before the prune runs, an expired result no longer answers: the key is claimed afresh.
    const fresh = await w.run(w.a.admin, action, body('expiring-0001', 'New day, new comment'));
    expect(fresh.json().replayed).toBe(false);
    expect(comments()).toBe(2);
    await w.server.deps.db.pool.query(`UPDATE action_runs SET expires_at = now() - interval '1 second' WHERE idempotency_key = 'expiring-0001'`);
    // An abandoned claim nobody retried is pruned too once expired; a live one never is.
    await w.server.deps.db.pool.query(
      `INSERT INTO action_runs (partner_id, idempotency_key, action_id, integration_key, input_hash, status, lease_until, expires_at)
       VALUES ($1, 'abandoned-001', $2, 'ticketdesk', repeat('a', 64), 'running', now() - interval '1 day', now() - interval '1 second'),
              ($1, 'live-lease-01', $2, 'ticketdesk', repeat('b', 64), 'running', now() + interval '1 minute', now() - interval '1 second')`,
      [w.a.id, action],
    );
    const kept = (await w.server.deps.db.pool.query('SELECT count(*)::int AS n FROM action_runs WHERE expires_at > now()')).rows[0].n;
    expect(await pruneExpiredRuns(w.server.deps.db.pool)).toBe(2);
    await w.server.deps.db.pool.query(`DELETE FROM action_runs WHERE idempotency_key = 'live-lease-01'`);
    expect((await w.server.deps.db.pool.query('SELECT count(*)::int AS n FROM action_runs')).rows[0].n).toBe(kept);
  });

  it('the result lifetime comes from ACTION_RESULT_TTL', async () => {
    await w.run(w.a.admin, action, body('ttl-check-001'));
    const { rows } = await w.server.deps.db.pool.query(`SELECT extract(epoch FROM expires_at - started_at)::int AS s FROM action_runs WHERE idempotency_key = 'ttl-check-001'`);
    expect(rows[0].s).toBe(7 * 24 * 3600);
  });
});

describe('a run past ACTION_TIMEOUT', () => {
  let slow: ActionWorld;
  beforeAll(async () => {
    slow = await createActionWorld({ env: { ACTION_TIMEOUT: '300ms' } });
    await slow.configure(slow.a.admin);
  });
  afterAll(() => slow.close());

  it('fails as a timeout that says to check the vendor, and a retry does not post again', async () => {
    slow.desk.delayMs = 1_500;
    const res = await slow.run(slow.a.admin, action, body('too-slow-0001'));
    expect(res.statusCode).toBe(502);
    expect(res.json().error.message).toBe('No answer within 0.3 s; Ticket Desk may have done it: check there before trying again');
    expect(res.json().error.details).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    const again = await slow.run(slow.a.admin, action, body('too-slow-0001'));
    expect(again.json().error.details.replayed).toBe(true);
    expect(slow.desk.count('POST', '/tickets/101/comment')).toBe(1);
  });
});
