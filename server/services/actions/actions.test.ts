import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actionDescriptorSchema, type ActionDescriptor } from '../../../shared/actions.js';
import { createActionWorld, type ActionWorld } from '../../test/actionWorld.js';

let w: ActionWorld;
let clientA = 0;
const items = (body: string) => (JSON.parse(body) as { items: ActionDescriptor[] }).items;
const byId = (list: ActionDescriptor[], id: string) => list.find((a) => a.id === id) as ActionDescriptor;

beforeAll(async () => {
  w = await createActionWorld();
  await w.configure(w.a.admin);
  clientA = await w.client(w.a.admin, 'Dataforth', ['org-1']);
});
afterAll(() => w.close());
beforeEach(() => {
  w.desk.calls.clear();
  w.desk.failWith = null;
  w.desk.delayMs = 0;
  w.desk.availabilityThrows = false;
});

describe('listing actions', () => {
  it('lists each action with its JSON Schemas and availability for an admin', async () => {
    const res = await w.request('GET', '/api/actions?key=ticketdesk', w.a.admin);
    expect(res.statusCode).toBe(200);
    const list = items(res.body);
    for (const item of list) actionDescriptorSchema.parse(item);
    expect(list.map((a) => a.id)).toEqual(['ticketdesk.tickets.find', 'ticketdesk.tickets.get', 'ticketdesk.tickets.comment', 'ticketdesk.reports.attach', 'ticketdesk.status.check']);
    expect(byId(list, 'ticketdesk.tickets.comment')).toMatchObject({ available: true, sideEffectful: true, clientScoped: true });
    expect(byId(list, 'ticketdesk.tickets.comment').inputSchema).toMatchObject({ type: 'object', required: ['ticketId', 'body'] });
    // No PUBLIC_BASE_URL on this server: the action's own check says so.
    expect(byId(list, 'ticketdesk.reports.attach').unavailable).toMatchObject({ code: 'needs_public_url' });
  });

  it('says not_configured for a partner without the integration, and the catalog lists the capability', async () => {
    const list = items((await w.request('GET', '/api/actions', w.b.admin)).body);
    expect(list.every((a) => a.unavailable?.code === 'not_configured')).toBe(true);
    const entry = (await w.request('GET', '/api/integrations/ticketdesk', w.b.admin)).json();
    expect(JSON.stringify(entry)).toContain('"actions"');
  });

  it('says not_permitted for side-effectful actions to technicians, and everything to the dev partner', async () => {
    const tech = items((await w.request('GET', '/api/actions?key=ticketdesk', w.a.tech)).body);
    expect(byId(tech, 'ticketdesk.tickets.comment').unavailable?.code).toBe('not_permitted');
    expect(byId(tech, 'ticketdesk.tickets.get').available).toBe(true);
    const dev = items((await w.request('GET', '/api/actions', w.dev.admin)).body);
    expect(dev.length).toBeGreaterThan(0);
    expect(dev.every((a) => a.unavailable?.code === 'not_permitted')).toBe(true);
  });

  it('says missing_mapping for a client-scoped action and a client without a mapping', async () => {
    const bare = await w.client(w.a.admin, 'Unmapped Co', []);
    const list = items((await w.request('GET', `/api/actions?key=ticketdesk&clientId=${bare}`, w.a.admin)).body);
    expect(byId(list, 'ticketdesk.tickets.find').unavailable?.code).toBe('missing_mapping');
    expect(byId(list, 'ticketdesk.tickets.get').available).toBe(true);
    const mapped = items((await w.request('GET', `/api/actions?key=ticketdesk&clientId=${clientA}`, w.a.admin)).body);
    expect(byId(mapped, 'ticketdesk.tickets.find').available).toBe(true);
  });

  it('says error with the health message while the integration is in Error', async () => {
    await w.server.deps.db.pool.query(`UPDATE integration_configurations SET status = 'Error', error_message = 'Token revoked' WHERE partner_id = $1`, [w.a.id]);
    try {
      const list = items((await w.request('GET', '/api/actions?key=ticketdesk', w.a.admin)).body);
      expect(byId(list, 'ticketdesk.tickets.get').unavailable).toEqual({ code: 'error', message: 'Token revoked' });
      const run = await w.run(w.a.admin, 'ticketdesk.tickets.get', { input: { ticketId: '101' } });
      expect(run.statusCode).toBe(409);
      expect(run.json().error.details).toEqual({ code: 'error', message: 'Token revoked' });
    } finally {
      await w.server.deps.db.pool.query(`UPDATE integration_configurations SET status = 'Active', error_message = NULL WHERE partner_id = $1`, [w.a.id]);
    }
  });

  it('fails closed: a throwing availability check is check_failed, and the listing still answers', async () => {
    w.desk.availabilityThrows = true;
    const res = await w.request('GET', '/api/actions', w.a.admin);
    expect(res.statusCode).toBe(200);
    const list = items(res.body);
    expect(byId(list, 'ticketdesk.status.check').unavailable?.code).toBe('check_failed');
    expect(byId(list, 'ticketdesk.tickets.get').available).toBe(true);
    const run = await w.run(w.a.admin, 'ticketdesk.status.check', {});
    expect(run.statusCode).toBe(409);
    expect(run.json().error.details.code).toBe('check_failed');
  });
});

describe('running actions', () => {
  it('runs a read for a technician and keeps no run', async () => {
    const res = await w.run(w.a.tech, 'ticketdesk.tickets.find', { input: { clientId: clientA, query: 'backup' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ runId: null, status: 'succeeded', replayed: false, output: { tickets: [{ id: '101', subject: 'Backups failing at Dataforth' }] } });
    expect(w.desk.count('GET', '/tickets')).toBe(1);
    expect((await w.server.deps.db.pool.query('SELECT count(*)::int AS n FROM action_runs')).rows[0].n).toBe(0);
  });

  it('answers 404, 400 with input.<path> fields, 400 without a key, 403 by role', async () => {
    expect((await w.run(w.a.admin, 'ticketdesk.tickets.nope', {})).statusCode).toBe(404);
    expect((await w.run(w.a.admin, 'nobody.tickets.get', {})).statusCode).toBe(404);
    const bad = await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { ticketId: 'abc', body: '' }, idempotencyKey: 'key-00000001' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({ 'input.ticketId': ['Ticket id is a number'], 'input.body': ['Write the comment'] });
    const noKey = await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { ticketId: '101', body: 'hi' } });
    expect(noKey.statusCode).toBe(400);
    expect(Object.keys(noKey.json().error.fields)).toEqual(['idempotencyKey']);
    expect((await w.run(w.a.tech, 'ticketdesk.tickets.comment', { input: { ticketId: '101', body: 'hi' }, idempotencyKey: 'key-00000002' })).statusCode).toBe(403);
    expect((await w.run(w.dev.admin, 'ticketdesk.tickets.get', { input: { ticketId: '101' } })).statusCode).toBe(403);
    expect(w.desk.calls.size).toBe(0);
  });

  it('posts a comment once per key: a retry gets the stored result with its ticket link', async () => {
    const body = { input: { clientId: clientA, ticketId: '101', body: 'Backups fixed today' }, idempotencyKey: 'post-once-0001', linkTicket: 'documents' };
    const first = await w.run(w.a.admin, 'ticketdesk.tickets.comment', body);
    expect(first.statusCode).toBe(200);
    const result = first.json();
    expect(result).toMatchObject({ status: 'succeeded', replayed: false, ticketLink: { clientId: clientA, ticketId: '101', number: 'T-101', linkType: 'documents' } });
    expect(result.runId).toEqual(expect.any(Number));
    const again = await w.run(w.a.admin, 'ticketdesk.tickets.comment', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...result, replayed: true });
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(1);
    // The same key with other input is refused, and the vendor is not called.
    const other = await w.run(w.a.admin, 'ticketdesk.tickets.comment', { ...body, input: { ...body.input, body: 'Something else' } });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.message).toBe('This idempotency key was used for a different request');
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(1);
  });

  it('records a vendor refusal as a 502 with the vendor message, credential scrubbed, and replays it', async () => {
    w.desk.failWith = { status: 422, message: 'Ticket is closed' };
    const body = { input: { ticketId: '101', body: 'x' }, idempotencyKey: 'vendor-fail-01' };
    const logged = w.server.logs.lines.length;
    const res = await w.run(w.a.admin, 'ticketdesk.tickets.comment', body);
    expect(res.statusCode).toBe(502);
    // The vendor's refusal is a warning, not an error-level line (found by the fuzz fault scenario).
    const lines = w.server.logs.lines.slice(logged).map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.some((line) => line.level === 40 && line.msg === 'request refused by the vendor')).toBe(true);
    expect(res.json().error).toMatchObject({ code: 'VENDOR_ERROR', message: 'Ticket Desk refused (HTTP 422): Ticket is closed', details: { status: 'failed', error: { code: 'vendor_client_error' } } });
    w.desk.failWith = null;
    const again = await w.run(w.a.admin, 'ticketdesk.tickets.comment', body);
    expect(again.statusCode).toBe(502);
    expect(again.json().error.details.replayed).toBe(true);
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(1);
  });

  it('runs over tRPC with the same answers (list, run, replay)', async () => {
    const caller = w.server.caller(w.a.admin.auth);
    expect((await caller.actions.list({ key: 'ticketdesk' })).items).toHaveLength(5);
    const input = { actionId: 'ticketdesk.tickets.comment', input: { ticketId: '102', body: 'Over tRPC' }, idempotencyKey: 'trpc-run-0001' };
    const first = await caller.actions.run(input);
    const again = await caller.actions.run(input);
    expect(again).toEqual({ ...first, replayed: true });
    expect(w.desk.count('POST', '/tickets/102/comment')).toBe(1);
  });

  it('makes every vendor call inside the interaction scope the log records: partner, action, user, run', async () => {
    w.desk.scopes.length = 0;
    await w.run(w.a.tech, 'ticketdesk.tickets.get', { input: { ticketId: '101' } });
    const posted = (await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { ticketId: '101', body: 'scoped' }, idempotencyKey: 'scope-check-01' })).json();
    expect(w.desk.scopes).toEqual([
      expect.objectContaining({ partnerId: w.a.id, integrationKey: 'ticketdesk', kind: 'action', actionId: 'ticketdesk.tickets.get', userId: w.a.tech.id, actionRunId: null }),
      expect.objectContaining({ partnerId: w.a.id, integrationKey: 'ticketdesk', kind: 'action', actionId: 'ticketdesk.tickets.comment', userId: w.a.admin.id, actionRunId: posted.runId }),
    ]);
  });
});
