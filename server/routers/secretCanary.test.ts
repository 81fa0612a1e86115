import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../shared/integrations/fields.js';
import { createActionWorld, type ActionWorld } from '../test/actionWorld.js';
import { createCatalogWorld, type CatalogWorld } from '../test/catalogWorld.js';

/**
 * Configure with unique secrets, use them every way the API allows (including failures), then
 * search every response, error, audit row, log line and database table for them in clear.
 */
describe('secret canary', () => {
  let w: CatalogWorld;
  const canaries = [1, 2, 3, 4].map((n) => `canary${n}-${randomUUID()}-secret`);
  const [token, webhook, replacement, draftToken] = canaries as [string, string, string, string];
  const bodies: string[] = [];
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());

  async function call(method: string, url: string, payload?: unknown) {
    const res = await w.request(method, url, w.a.admin, payload);
    bodies.push(res.body);
    return res;
  }

  it('never shows a secret in clear anywhere', async () => {
    const base = { subdomain: 'canary', region: 'us', base_url: 'https://vendor.example' };
    expect((await call('POST', '/api/integrations/testvendor/configure', { settings: { ...base, api_token: token, webhook_secret: webhook } })).statusCode).toBe(201);
    await call('GET', '/api/integrations');
    await call('GET', '/api/integrations/testvendor');
    await call('POST', '/api/integrations/testvendor/test');

    // A vendor that echoes the credential in its error, and one that throws with it.
    w.vendor.acceptedTokens = new Set(['something-else']);
    const refused = await call('POST', '/api/integrations/testvendor/test');
    expect(refused.json().message).toContain('[redacted]');
    await call('POST', '/api/integrations/testvendor/test', { settings: { ...base, api_token: draftToken } });
    w.vendor.outcome = 'throw';
    await call('POST', '/api/integrations/testvendor/test');
    w.vendor.outcome = 'ok';
    w.vendor.acceptedTokens = 'any';

    // Failures that carry the secrets in their input.
    const invalid = await call('POST', '/api/integrations/testvendor/reconfigure', { settings: { ...base, api_token: token, region: 'mars' } });
    expect(invalid.statusCode).toBe(400);
    const crossField = await call('POST', '/api/integrations/testvendor/reconfigure', { settings: { subdomain: 'x', region: 'us', webhook_secret: webhook } });
    expect(crossField.json().error.fields).toEqual({ 'settings.base_url': ['Set a base URL to receive webhooks'] });
    const unknownKey = await call('POST', '/api/integrations/testvendor/reconfigure', { settings: { ...base, [token]: token } });
    expect(unknownKey.statusCode).toBe(400);
    const wrongShape = await call('POST', '/api/integrations/testvendor/reconfigure', { settings: { api_token: { value: token } } });
    expect(wrongShape.statusCode).toBe(400);
    const conflict = await call('POST', '/api/integrations/testvendor/configure', { settings: { ...base, api_token: token } });
    expect(conflict.statusCode).toBe(409);
    await call('POST', '/api/integrations/testvendor/reconfigure', { settings: { ...base, api_token: replacement, webhook_secret: SECRET_MASK } });
    const stale = await call('POST', '/api/integrations/testvendor/reconfigure', { settings: { ...base, api_token: token }, baseVersion: 1 });
    expect(stale.statusCode).toBe(409);
    await call('GET', '/api/integrations/testvendor/audit');
    const trpc = await w.server.app.inject({
      method: 'POST',
      url: '/trpc/integrations.reconfigure',
      headers: { authorization: w.a.admin.auth },
      payload: { key: 'testvendor', settings: { ...base, api_token: token, region: 7 } },
    });
    bodies.push(trpc.body);
    expect(trpc.statusCode).toBe(400);
    await call('GET', `/api/dev/partners/${w.a.id}/integrations/testvendor`);

    // The owner saw last4 only.
    expect((await call('GET', '/api/integrations/testvendor')).json().settings.api_token).toEqual({ isSet: true, last4: replacement.slice(-4) });

    const database = await dumpDatabase();
    expect(database).toContain('"ct"'); // ciphertexts are there…
    const everything = [...bodies, w.server.logs.text(), database].join('\n');
    for (const canary of canaries) expect(everything).not.toContain(canary); // …and the values are not
    // The draft test reached the vendor with the canary: the check above is not vacuous.
    expect(w.vendor.checks.some((c) => c.api_token === draftToken)).toBe(true);
  });

  /** Every row of every table in the public schema, as JSON text. */
  async function dumpDatabase(): Promise<string> {
    const pool = w.server.deps.db.pool;
    const { rows: tables } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
    const parts: string[] = [];
    for (const t of tables) {
      const { rows } = await pool.query(`SELECT row_to_json(x)::text AS j FROM ${JSON.stringify(t.name)} x`);
      parts.push(...rows.map((r: { j: string }) => r.j));
    }
    return parts.join('\n');
  }
});

/**
 * Issue 15: actions use the credential on every vendor call. A vendor that refuses it and
 * echoes it back (a careless error body) must not get it into any response, stored run, ticket
 * link, log line or other table.
 */
describe('secret canary: actions and ticket links', () => {
  let w: ActionWorld;
  const token = `canary-action-${randomUUID()}-secret`;
  const bodies: string[] = [];
  beforeAll(async () => {
    w = await createActionWorld();
  });
  afterAll(() => w.close());

  it('never shows the credential an action used, even when the vendor echoes it', async () => {
    await w.configure(w.a.admin, token);
    const client = await w.client(w.a.admin, 'Canary Client', ['org-1']);
    const keep = async (res: { body: string; statusCode: number }) => (bodies.push(res.body), res);
    expect((await keep(await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { clientId: client, ticketId: '101', body: 'ok' }, idempotencyKey: 'canary-ok-001', linkTicket: 'related' }))).statusCode).toBe(200);
    await keep(await w.request('GET', '/api/actions', w.a.admin));
    // The vendor now refuses the token and echoes it in its error body.
    w.desk.acceptedTokens = new Set(['another-token']);
    const refused = await keep(await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { ticketId: '101', body: 'no' }, idempotencyKey: 'canary-bad-001' }));
    expect(refused.statusCode).toBe(502);
    expect(JSON.parse(refused.body).error.message).toContain('[redacted]');
    await keep(await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { ticketId: '101', body: 'no' }, idempotencyKey: 'canary-bad-001' }));
    await keep(await w.run(w.a.tech, 'ticketdesk.tickets.get', { input: { ticketId: '101' } }));
    await keep(await w.request('POST', `/api/clients/${client}/ticket-links`, w.a.admin, { integrationKey: 'ticketdesk', ticketId: '102' }));
    await keep(await w.request('POST', `/api/clients/${client}/ticket-links/refresh`, w.a.admin));
    const trpc = await w.server.caller(w.a.admin.auth).actions.run({ actionId: 'ticketdesk.tickets.get', input: { ticketId: '102' } }).catch((e: unknown) => e);
    bodies.push(JSON.stringify(trpc), String((trpc as Error).message));
    w.desk.acceptedTokens = 'any';

    const pool = w.server.deps.db.pool;
    const { rows: tables } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
    const rows: string[] = [];
    for (const t of tables) rows.push(...(await pool.query(`SELECT row_to_json(x)::text AS j FROM ${JSON.stringify(t.name)} x`)).rows.map((r: { j: string }) => r.j));
    const stored = rows.join('\n');
    expect(stored).toContain('canary-bad-001'); // the failed run is stored…
    expect(stored).toContain('Canary Client');
    for (const text of [...bodies, w.server.logs.text(), stored]) expect(text).not.toContain(token); // …without the credential
    // The vendor did receive the token (and echoed it): the check above is not vacuous.
    expect(w.desk.count('POST', '/tickets/101/comment')).toBe(2);
  });
});
