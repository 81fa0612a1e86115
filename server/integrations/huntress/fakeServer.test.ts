import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHuntress, type FakeHuntress } from './fakeServer.js';

// The fake's own behaviour, asserted against the published document (vendor-apis.md §5, HUN-OAS).
let fake: FakeHuntress;
const auth = (key: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` });
const get = async (path: string, headers: Record<string, string> = auth('k', 's')) => {
  const res = await fetch(`${fake.baseUrl}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  fake = await startFakeHuntress({ windowMs: 2_000 });
  fake.addAccount('acme', {
    name: 'Acme',
    organizations: 25,
    keys: [{ key: 'k', secret: 's' }],
    incidentReports: [
      { organizationId: 1, subject: 'A', severity: 'critical' },
      { organizationId: 2, subject: 'B', severity: 'low', status: 'closed' },
    ],
  });
});
afterAll(() => fake.close());

describe('fake Huntress', () => {
  it('wraps bodies as the document does and pages by limit and page_token, id descending', async () => {
    fake.resetCounts();
    expect((await get('/v1/account')).body).toEqual({ account: expect.objectContaining({ name: 'Acme', subdomain: 'acme' }) });
    const first = await get('/v1/organizations?limit=10');
    const orgs = first.body.organizations as { id: number }[];
    expect(orgs.map((o) => o.id)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    const pagination = first.body.pagination as { next_page_token: string; next_page_url: string };
    expect(pagination.next_page_url).toBe(`${fake.baseUrl}/v1/organizations?page_token=${pagination.next_page_token}&limit=10`);
    const second = await get(`/v1/organizations?limit=10&page_token=${pagination.next_page_token}`);
    const token = (second.body.pagination as { next_page_token: string }).next_page_token;
    const last = await get(`/v1/organizations?limit=10&page_token=${token}`);
    expect((last.body.organizations as unknown[]).length).toBe(5);
    expect(last.body.pagination).toEqual({});
    // Ten by default; out of range is 400.
    expect(((await get('/v1/organizations')).body.organizations as unknown[]).length).toBe(10);
    expect((await get('/v1/organizations?limit=501')).status).toBe(400);
    expect((await get('/v1/organizations?limit=0')).status).toBe(400);
  });

  it('filters incident reports and answers 401 for credentials that do not authenticate', async () => {
    fake.resetCounts();
    expect(((await get('/v1/incident_reports?severity=critical')).body.incident_reports as { subject: string }[]).map((r) => r.subject)).toEqual(['A']);
    expect(((await get('/v1/incident_reports?organization_id=2')).body.incident_reports as { subject: string }[]).map((r) => r.subject)).toEqual(['B']);
    expect((await get('/v1/account', auth('k', 'wrong'))).status).toBe(401);
    expect((await get('/v1/account', {})).status).toBe(401);
  });

  it('counts a sliding window per account: the 61st request inside the window is 429, and it frees as requests age out', async () => {
    fake.resetCounts();
    fake.fillWindow('acme', 59);
    expect((await get('/v1/account')).status).toBe(200);
    const refused = await get('/v1/account');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(fake.rateLimitedCount('acme')).toBe(1);
    await new Promise((r) => setTimeout(r, 2_050));
    expect((await get('/v1/account')).status).toBe(200);
  });
});
