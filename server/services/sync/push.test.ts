import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Mutation } from '../../../shared/sync.js';
import { withPartner } from '../../db/pool.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../../test/catalogWorld.js';
import { syncCalls } from '../../test/syncWorld.js';
import { resolveApiError } from '../../trpc/errors.js';

let w: CatalogWorld;
let s: ReturnType<typeof syncCalls>;
beforeAll(async () => {
  w = await createCatalogWorld();
  s = syncCalls(w);
  // Failure injection: the sync_mutations inserts whose sequence number is listed in
  // test_fail fail with a serialization failure (40001), as a database under contention would.
  // A sequence, because its increments survive the rollback the failure causes.
  await w.server.deps.db.pool.query(`
    CREATE SEQUENCE test_fail_seq;
    CREATE TABLE test_fail (fail_at bigint[] NOT NULL);
    INSERT INTO test_fail VALUES ('{}');
    CREATE FUNCTION test_fail_inject() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    DECLARE
      positions bigint[] := (SELECT fail_at FROM test_fail);
    BEGIN
      IF nextval('test_fail_seq') = ANY (positions) THEN
        RAISE EXCEPTION 'injected failure' USING ERRCODE = '40001';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_fail_inject BEFORE INSERT ON sync_mutations FOR EACH ROW EXECUTE FUNCTION test_fail_inject();
  `);
});
afterAll(() => w.close());
beforeEach(async () => {
  await w.server.deps.db.pool.query('DELETE FROM integration_configurations; DELETE FROM integration_audit_logs; DELETE FROM sync_clients');
});

/** Makes the mutation commits at these positions from now (1 = the next one) fail transiently. */
async function failAt(...positions: number[]) {
  await w.server.deps.db.pool.query(
    `UPDATE test_fail SET fail_at = (SELECT array_agg(base + p) FROM unnest($1::int[]) AS p,
       (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS base FROM test_fail_seq) AS b)`,
    [positions],
  );
}

const reconfigure = (id: number, baseVersion: number, subdomain: string, extra: Record<string, string> = {}): Mutation => ({
  id,
  kind: 'reconfigure',
  integrationKey: 'testvendor',
  baseVersion,
  settings: { ...validSettings({ subdomain }), ...extra },
});
const auditCount = async (action: string) =>
  Number((await w.server.deps.db.pool.query('SELECT count(*) AS n FROM integration_audit_logs WHERE partner_id = $1 AND action = $2', [w.a.id, action])).rows[0]?.n);
const subdomain = async () =>
  (await w.server.deps.db.pool.query<{ s: string }>("SELECT settings->>'subdomain' AS s FROM integration_configurations WHERE partner_id = $1 AND integration_key = 'testvendor'", [w.a.id])).rows[0]?.s;
const apiError = (error: unknown) => resolveApiError(error);

describe('sync.push', () => {
  it('applies each mutation once; a replay returns the stored result and changes nothing', async () => {
    await s.configure(w.a.admin);
    const clientId = randomUUID();
    const batch = [reconfigure(1, 1, 'one'), reconfigure(2, 2, 'two')];
    const first = await s.push(w.a.admin, clientId, batch);
    expect(first).toEqual({ results: [{ id: 1, result: 'applied', version: 2 }, { id: 2, result: 'applied', version: 3 }], lastMutationId: 2 });
    const replay = await s.push(w.a.admin, clientId, batch);
    expect(replay).toEqual(first);
    expect(await auditCount('reconfigured')).toBe(2);
    expect(await subdomain()).toBe('two');
    // A batch overlapping the applied ones replays the old part and applies the new part.
    const overlap = await s.push(w.a.admin, clientId, [reconfigure(2, 2, 'ignored'), reconfigure(3, 3, 'three')]);
    expect(overlap.results.map((r) => r.result)).toEqual(['applied', 'applied']);
    expect(await subdomain()).toBe('three');
    expect(await auditCount('reconfigured')).toBe(3);
  });

  it('keeps results only until the client pushes past them, and never another client’s', async () => {
    await s.configure(w.a.admin);
    const [mine, other] = [randomUUID(), randomUUID()];
    const stored = async (clientId: string) =>
      (await w.server.deps.db.pool.query<{ id: string }>('SELECT mutation_id AS id FROM sync_mutations WHERE client_id = $1 ORDER BY 1', [clientId])).rows.map((r) => Number(r.id));
    await s.push(w.a.admin, other, [reconfigure(1, 1, 'other-one')]);
    const batch = [reconfigure(1, 2, 'one'), reconfigure(2, 3, 'two')];
    const first = await s.push(w.a.admin, mine, batch);
    expect(await stored(mine)).toEqual([1, 2]);
    // The answer was lost: the same batch again is a replay, and nothing is forgotten yet.
    expect(await s.push(w.a.admin, mine, batch)).toEqual(first);
    expect(await stored(mine)).toEqual([1, 2]);
    // Pushing 3 says the client holds the results of 1 and 2.
    await s.push(w.a.admin, mine, [reconfigure(3, 4, 'three')]);
    expect(await stored(mine)).toEqual([3]);
    expect(await stored(other)).toEqual([1]);
    // A client replaying what it already acknowledged gets a rejection, not a second application.
    const stale = await s.push(w.a.admin, mine, [reconfigure(2, 3, 'two-again'), reconfigure(3, 4, 'three')]);
    expect(stale.results[0]).toMatchObject({ id: 2, result: 'rejected' });
    expect(await subdomain()).toBe('three');
    expect(await auditCount('reconfigured')).toBe(4);
  });

  it('refuses a gap with 409 and the last applied id, and ids that are not consecutive with 400', async () => {
    await s.configure(w.a.admin);
    const clientId = randomUUID();
    await s.push(w.a.admin, clientId, [reconfigure(1, 1, 'one')]);
    const gap = await s.push(w.a.admin, clientId, [reconfigure(3, 2, 'three')]).catch((e: unknown) => e);
    // The service's AppError reaches the caller as the tRPC error with the same code.
    expect(gap).toMatchObject({ code: 'CONFLICT', cause: expect.any(AppError) });
    expect(apiError(gap)).toMatchObject({ status: 409, body: { code: 'CONFLICT', details: { reason: 'mutation_gap', lastMutationId: 1 } } });
    const holes = await s.push(w.a.admin, clientId, [reconfigure(2, 2, 'a'), reconfigure(4, 3, 'b')]).catch((e: unknown) => e);
    expect(apiError(holes)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await auditCount('reconfigured')).toBe(1);
  });

  it('the later of two edits from the same version gets a conflict with the current value and the fields changed', async () => {
    await s.configure(w.a.admin, 'testvendor', { subdomain: 'base', notes: 'n0' });
    const first = await s.push(w.a.admin, randomUUID(), [reconfigure(1, 1, 'mine', { notes: 'n1', api_token: 'tok_new_value_long_enough_1' })]);
    expect(first.results[0]).toMatchObject({ result: 'applied', version: 2 });
    const second = await s.push(w.a.admin, randomUUID(), [reconfigure(1, 1, 'theirs')]);
    expect(second.lastMutationId).toBe(1);
    const conflict = second.results[0];
    expect(conflict).toMatchObject({ id: 1, result: 'conflict', current: { key: 'testvendor', state: { version: 2 }, settings: { subdomain: 'mine', notes: 'n1' } } });
    if (conflict?.result !== 'conflict') throw new Error('expected a conflict');
    // Fields the winner changed, secrets included (their value never).
    expect(conflict.conflictFields).toEqual(['api_token', 'notes', 'subdomain']);
    expect(JSON.stringify(conflict)).not.toContain('tok_new_value_long_enough_1');
    expect(await subdomain()).toBe('mine');
  });

  it('a rejected mutation is a result too: the next one in the batch still applies', async () => {
    await s.configure(w.a.admin);
    const clientId = randomUUID();
    // The plugin's own cross-field rule: a webhook secret needs a base URL.
    const invalid = reconfigure(1, 1, 'bad', { webhook_secret: 'whsec_1234567890' });
    const response = await s.push(w.a.admin, clientId, [invalid, reconfigure(2, 1, 'good')]);
    expect(response.results[0]).toMatchObject({ result: 'rejected', code: 'VALIDATION_FAILED', fields: { 'settings.base_url': [expect.any(String)] } });
    expect(response.results[1]).toMatchObject({ result: 'applied', version: 2 });
    expect(response.lastMutationId).toBe(2);
    // Shape problems are per-mutation rejections as well.
    const shape = await s.push(w.a.admin, clientId, [{ id: 3, kind: 'reconfigure', integrationKey: 'testvendor', baseVersion: null, settings: {} }, { id: 4, kind: 'delete', integrationKey: 'nosuchthing', baseVersion: 1 }]);
    expect(shape.results.map((r) => (r.result === 'rejected' ? r.code : r.result))).toEqual(['VALIDATION_FAILED', 'NOT_FOUND']);
  });

  it('changing or deleting what someone else deleted is a conflict showing it unconfigured', async () => {
    await s.configure(w.a.admin);
    expect((await w.request('DELETE', '/api/integrations/testvendor', w.a.admin)).statusCode).toBe(200);
    const response = await s.push(w.a.admin, randomUUID(), [reconfigure(1, 1, 'late'), { id: 2, kind: 'delete', integrationKey: 'testvendor', baseVersion: 1 }]);
    for (const r of response.results) expect(r).toMatchObject({ result: 'conflict', current: { state: { status: 'Not Configured', version: null }, settings: null } });
    const configureTwice = await s.push(w.a.admin, randomUUID(), [
      { id: 1, kind: 'configure', integrationKey: 'otherbackup', baseVersion: null, settings: { login: 'x', password: 'pw-123456' } },
    ]);
    expect(configureTwice.results[0]).toMatchObject({ result: 'applied', version: 1 });
    const again = await s.push(w.a.admin, randomUUID(), [{ id: 1, kind: 'configure', integrationKey: 'otherbackup', baseVersion: null, settings: { login: 'y', password: 'pw-123456' } }]);
    expect(again.results[0]).toMatchObject({ result: 'conflict', current: { state: { version: 1 }, settings: { login: 'x' } } });
  });

  it("answers a technician's mutations with FORBIDDEN results and moves their queue on", async () => {
    await s.configure(w.a.admin);
    const clientId = randomUUID();
    const response = await s.push(w.a.tech, clientId, [reconfigure(1, 1, 'tech'), reconfigure(2, 1, 'tech2')]);
    expect(response).toMatchObject({ lastMutationId: 2, results: [{ result: 'rejected', code: 'FORBIDDEN' }, { result: 'rejected', code: 'FORBIDDEN' }] });
    expect(await subdomain()).toBe('acme');
  });

  it("refuses another partner's or another user's client id", async () => {
    await s.configure(w.a.admin);
    await s.configure(w.b.admin);
    const clientId = randomUUID();
    await s.push(w.a.admin, clientId, [reconfigure(1, 1, 'a-one')]);
    const otherPartner = await s.push(w.b.admin, clientId, [reconfigure(2, 1, 'b')]).catch((e: unknown) => e);
    expect(apiError(otherPartner)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', details: { reason: 'client_taken' } } });
    const fromScratch = await s.push(w.b.admin, clientId, [reconfigure(1, 1, 'b')]).catch((e: unknown) => e);
    expect(apiError(fromScratch).status).toBe(403);
    const otherUser = await s.push(w.a.tech, clientId, [reconfigure(2, 2, 'x')]).catch((e: unknown) => e);
    expect(apiError(otherUser).status).toBe(403);
    // B's row is untouched; row-level security hides A's bookkeeping from B even without a filter.
    const bSub = await w.server.deps.db.pool.query("SELECT settings->>'subdomain' AS s FROM integration_configurations WHERE partner_id = $1", [w.b.id]);
    expect(bSub.rows[0]?.s).toBe('acme');
    const seenByB = await withPartner(w.server.deps.db, w.b.id, async (tx) => (await tx.query('SELECT * FROM sync_mutations')).rows.length + (await tx.query('SELECT * FROM sync_clients')).rows.length);
    expect(seenByB).toBe(0);
  });

  it('a transient failure stops the batch without a result; the retry applies it once', async () => {
    await s.configure(w.a.admin);
    const clientId = randomUUID();
    const batch = [reconfigure(1, 1, 'one'), reconfigure(2, 2, 'two')];
    await failAt(1);
    const failed = await s.push(w.a.admin, clientId, batch).catch((e: unknown) => e);
    expect(apiError(failed)).toMatchObject({ status: 503, body: { code: 'UNAVAILABLE' } });
    // The effect rolled back with the result: nothing applied, nothing audited.
    expect(await subdomain()).toBe('acme');
    expect(await auditCount('reconfigured')).toBe(0);

    // Fails on the second mutation: the first one's result comes back, the second waits.
    await failAt(2);
    const partial = await s.push(w.a.admin, clientId, batch);
    expect(partial).toEqual({ results: [{ id: 1, result: 'applied', version: 2 }], lastMutationId: 1 });
    const rest = await s.push(w.a.admin, clientId, batch);
    expect(rest.results).toEqual([{ id: 1, result: 'applied', version: 2 }, { id: 2, result: 'applied', version: 3 }]);
    expect(await auditCount('reconfigured')).toBe(2);
  });

  it('two pushes of the same mutation at once apply it once and answer both the same', async () => {
    await s.configure(w.a.admin);
    const clientId = randomUUID();
    await s.push(w.a.admin, clientId, [reconfigure(1, 1, 'warm-up')]);
    const both = await Promise.all([1, 2, 3].map(() => s.push(w.a.admin, clientId, [reconfigure(2, 2, 'racing')])));
    expect(new Set(both.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(both[0]?.results[0]).toMatchObject({ result: 'applied', version: 3 });
    expect(await auditCount('reconfigured')).toBe(2);
  });

  it('a rollback drafted offline restores the version by number, audited as one, and conflicts or is refused like an edit', async () => {
    await s.configure(w.a.admin);
    const clientId = randomUUID();
    const rollback = (id: number, baseVersion: number, toVersion?: number): Mutation => ({ id, kind: 'rollback', integrationKey: 'testvendor', baseVersion, ...(toVersion ? { toVersion } : {}) });
    const first = await subdomain();
    const edited = await s.push(w.a.admin, clientId, [reconfigure(1, 1, 'edited')]);
    expect(edited.results[0]).toMatchObject({ result: 'applied', version: 2 });

    const out = await s.push(w.a.admin, clientId, [rollback(2, 2), rollback(3, 2, 9), rollback(4, 1, 1), rollback(5, 2, 1), rollback(6, 3, 3)]);
    expect(out.results[0]).toMatchObject({ result: 'rejected', code: 'VALIDATION_FAILED', fields: { toVersion: ['Required'] } });
    expect(out.results[1]).toMatchObject({ result: 'rejected', code: 'NOT_FOUND', message: 'There is no version 9 of this configuration' });
    // From a version that is not the current one: a conflict showing the server's value.
    expect(out.results[2]).toMatchObject({ result: 'conflict', current: { settings: { subdomain: 'edited' } } });
    expect(out.results[3]).toEqual({ id: 5, result: 'applied', version: 3 });
    // Restoring the version in force is a conflict too: there is nothing to restore.
    expect(out.results[4]).toMatchObject({ result: 'conflict', message: 'Version 3 is the one in force already' });
    expect(await subdomain()).toBe(first);
    const { rows } = await w.server.deps.db.pool.query<{ restored_from: number | null }>(
      "SELECT restored_from FROM integration_config_versions WHERE partner_id = $1 AND integration_key = 'testvendor' AND version = 3",
      [w.a.id],
    );
    expect(rows[0]?.restored_from).toBe(1);
    const audit = await w.server.deps.db.pool.query<{ message: string | null }>(
      "SELECT details->>'message' AS message FROM integration_audit_logs WHERE partner_id = $1 AND action = 'reconfigured' ORDER BY id DESC LIMIT 1",
      [w.a.id],
    );
    expect(audit.rows[0]?.message).toBe('Rolled back to version 1');
    // Settings on a rollback are refused: it restores a version, nothing else.
    const withSettings = await s.push(w.a.admin, clientId, [{ ...rollback(7, 3, 2), settings: { subdomain: 'x' } }]);
    expect(withSettings.results[0]).toMatchObject({ result: 'rejected', code: 'VALIDATION_FAILED', fields: { settings: ['Must be absent for rollback'] } });
  });

  it('deletes with the base version it started from', async () => {
    await s.configure(w.a.admin);
    const response = await s.push(w.a.admin, randomUUID(), [{ id: 1, kind: 'delete', integrationKey: 'testvendor', baseVersion: 1 }]);
    expect(response.results[0]).toEqual({ id: 1, result: 'applied', version: null });
    expect(await subdomain()).toBeUndefined();
  });
});
