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
