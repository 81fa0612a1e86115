import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSyncro, type FakeSyncro } from './fakeServer.js';

let fake: FakeSyncro;
const token = 'fake-syncro-token';

beforeAll(async () => {
  fake = await startFakeSyncro();
  fake.addTenant('northwind', { tokens: [{ token }], customers: 30 });
});
afterAll(async () => {
  await fake.close();
});

async function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) {
  const res = await request(`${fake.origin}${path}`, { headers });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe('fake Syncro', () => {
  it('takes the token as a Bearer header or as ?api_key=, and refuses anything else with 401', async () => {
    expect((await get('/northwind/api/v1/me')).status).toBe(200);
    expect((await get(`/northwind/api/v1/me?api_key=${token}`, {})).status).toBe(200);
    const refused = await get('/northwind/api/v1/me', { authorization: 'Bearer nope' });
    expect([refused.status, refused.json()]).toEqual([401, { error: 'Unauthorized' }]);
  });

  it('pages lists by 25 with meta', async () => {
    const first = (await get('/northwind/api/v1/customers')).json();
    expect((first.customers as unknown[]).length).toBe(25);
    expect(first.meta).toEqual({ total_pages: 2, total_entries: 30, per_page: 25, page: 1 });
    const second = (await get('/northwind/api/v1/customers?page=2')).json();
    expect((second.customers as { id: number }[]).map((c) => c.id)).toEqual([26, 27, 28, 29, 30]);
  });

  it('answers the host form too (Host: {subdomain}.…)', async () => {
    expect((await get('/api/v1/me', { authorization: `Bearer ${token}`, host: 'northwind.syncromsp.test' })).status).toBe(200);
  });

  it('answers an unknown subdomain with an HTML 404 page', async () => {
    const res = await get('/nosuch/api/v1/me');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('refuses a missing permission with the 401 and body of Syncro\'s document; tickets meta as published', async () => {
    const limited = await startFakeSyncro();
    limited.addTenant('contoso', { tokens: [{ token, permissions: ['Customers - List/Search'] }], tickets: 3 });
    const ask = async (path: string) => {
      const res = await request(`${limited.origin}/contoso/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
      return [res.statusCode, await res.body.json()];
    };
    expect(await ask('/tickets')).toEqual([401, { error: 'Not authorized. Please ask account admin to update your group permissions.' }]);
    limited.addTenant('contoso', { tokens: [{ token }], tickets: 3 });
    const [status, body] = await ask('/tickets');
    expect([status, (body as { meta: unknown }).meta]).toEqual([200, { total_pages: 1, page: 1 }]);
    await limited.close();
  });

  it('enforces its per-minute limit per client address, across subdomains, with 429 and no Retry-After', async () => {
    const limited = await startFakeSyncro({ rateLimitPerMinute: 5 });
    limited.addTenant('a', { tokens: [{ token }] });
    limited.addTenant('b', { tokens: [{ token }] });
    // Another loopback address stands for another egress IP.
    const elsewhere = new Agent({ localAddress: '127.0.0.2' });
    const me = async (subdomain: string, dispatcher?: Agent) => {
      const res = await request(`${limited.origin}/${subdomain}/api/v1/me`, { headers: { authorization: `Bearer ${token}` }, dispatcher });
      await res.body.dump();
      return [res.statusCode, res.headers['retry-after']];
    };
    const statuses: unknown[] = [];
    for (const subdomain of ['a', 'b', 'a', 'b', 'a', 'b']) statuses.push((await me(subdomain))[0]);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await me('a')).toEqual([429, undefined]);
    expect(await me('b', elsewhere)).toEqual([200, undefined]);
    await elsewhere.close();
    await limited.close();
  });

  it('counts requests per path and tenant, and delays answers when told', async () => {
    fake.resetCounts();
    fake.setFaults({ delayMs: 200 }, 'northwind');
    const started = Date.now();
    await get('/northwind/api/v1/tickets');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    fake.resetFaults();
    expect(fake.requestCount({ path: '/tickets', tenant: 'northwind' })).toBe(1);
    expect(fake.requestCount()).toBe(1);
  });

  it('closes promptly with a request left hanging', async () => {
    const other = await startFakeSyncro();
    other.addTenant('northwind', { tokens: [{ token }] });
    other.setFaults({ hang: true });
    const pending = request(`${other.origin}/northwind/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('fake Syncro tickets (issue 15)', () => {
  it('filters GET /tickets by customer_id, status ("Not Closed" too) and query, with the pages of 25', async () => {
    const tickets = await startFakeSyncro();
    tickets.addTenant('t', {
      tokens: [{ token }],
      tickets: 30,
      ticketSpecs: [
        { customerId: 9, subject: 'Nightly backup failing', status: 'In Progress' },
        { customerId: 9, subject: 'Old one', status: 'Resolved' },
      ],
    });
    const ask = async (query: string) => {
      const res = await request(`${tickets.origin}/t/api/v1/tickets${query}`, { headers: { authorization: `Bearer ${token}` } });
      return (await res.body.json()) as { tickets: { id: number; subject: string }[]; meta: unknown };
    };
    expect((await ask('?customer_id=9')).tickets.map((t) => t.subject)).toEqual(['Nightly backup failing', 'Old one']);
    expect((await ask('?customer_id=9&status=Not%20Closed')).tickets.map((t) => t.subject)).toEqual(['Nightly backup failing']);
    expect((await ask('?query=BACKUP')).tickets.map((t) => t.id)).toEqual([31]);
    expect((await ask('')).meta).toEqual({ total_pages: 2, page: 1 });
    expect((await ask('?page=2')).tickets.map((t) => t.id)).toEqual([26, 27, 28, 29, 30, 31, 32]);
    await tickets.close();
  });

  it('answers writes as the swagger does: 422 for a blank comment, 404 for an unknown ticket; only accepted writes count', async () => {
    const writes = await startFakeSyncro();
    writes.addTenant('w', { tokens: [{ token }], tickets: 1 });
    const post = async (path: string, body: unknown) => {
      const res = await request(`${writes.origin}/w/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return [res.statusCode, await res.body.json()];
    };
    expect(await post('/tickets/1/comment', { subject: 'Update' })).toEqual([422, { success: false, message: ["Body can't be blank"] }]);
    expect(await post('/tickets/9/comment', { subject: 'Update', body: 'x' })).toEqual([404, { message: 'Not found' }]);
    expect(await post('/tickets/1/attach_file_url', { files: 'nope' })).toEqual([422, { error: "Missing files param - or not an array like [{'url':'http://foo','filename': 'test'}]" }]);
    const [status, answer] = await post('/tickets/1/comment', { subject: 'Update', body: 'Done', hidden: true });
    expect([status, answer]).toEqual([200, { comment: expect.objectContaining({ ticket_id: 1, subject: 'Update', body: 'Done', hidden: true }) }]);
    expect([writes.writeCount(), writes.writeCount({ route: 'comment', tenant: 'w' }), writes.writeCount({ route: 'timer_entry' })]).toEqual([1, 1, 0]);
    await writes.close();
  });
});
