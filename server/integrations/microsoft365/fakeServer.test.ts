import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeMicrosoft365, graphScope, partnerCenterScope, type FakeMicrosoft365 } from './fakeServer.js';
import { seedM365Partner, type SeededPartner } from './fakeSeed.js';

// The fake itself: what the plugin's tests rely on it to refuse, in Microsoft's shapes (§1.8).
let fake: FakeMicrosoft365;
let seeded: SeededPartner;

beforeAll(async () => {
  fake = await startFakeMicrosoft365();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  seeded = seedM365Partner(fake, { prefix: 0x700, tenants: 3 });
  fake.resetCounts();
  fake.resetFaults();
});

const tenant = (i: number) => seeded.tenants[i - 1]!.id;

async function token(tenantId: string, over: Record<string, string> = {}) {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: seeded.settings.app_id, client_secret: seeded.settings.client_secret, scope: graphScope, ...over });
  const res = await fetch(`${fake.origin}/${tenantId}/oauth2/v2.0/token`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const graph = async (path: string, bearer: string, init: RequestInit = {}) => {
  const res = await fetch(`${fake.origin}/v1.0${path}`, { ...init, headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
};

describe('the Microsoft 365 fake', () => {
  it('issues a tenant-bound token: tenant A’s token reads A and cannot touch a user of tenant B', async () => {
    const a = await token(tenant(1));
    expect(a).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 } });
    const org = await graph('/organization?$select=id,displayName', a.body.access_token as string);
    expect(org.body.value).toEqual([{ id: tenant(1), displayName: 'Customer 0001' }]);
    const userOfB = seeded.tenants[1]!.users![0]!.id;
    const cross = await graph(`/users/${userOfB}/revokeSignInSessions`, a.body.access_token as string, { method: 'POST' });
    expect(cross.status).toBe(404);
    expect(cross.body).toMatchObject({ error: { code: 'Request_ResourceNotFound', innerError: { 'request-id': expect.any(String) } } });
    expect(fake.revocations()).toBe(0);
  });

  it('refuses tokens with Entra’s AADSTS codes per tenant state', async () => {
    fake.setConsent(tenant(1), 'not_consented');
    fake.setConsent(tenant(2), 'gdap_not_authorized');
    fake.setConsent(tenant(3), 'blocked_by_ca');
    const codes = async (t: string, over?: Record<string, string>) => ((await token(t, over)).body.error_codes as number[])[0];
    expect(await codes(tenant(1))).toBe(65001);
    expect(await codes(tenant(2))).toBe(90099);
    expect(await codes(tenant(3))).toBe(53003);
    expect(await codes('99999999-0000-4000-8000-000000000000')).toBe(90002);
    expect(await codes(seeded.settings.partner_tenant_id, { client_secret: 'wrong' })).toBe(7000215);
    expect(await codes(seeded.settings.partner_tenant_id, { scope: 'https://graph.microsoft.com/User.Read' })).toBe(70011);
    fake.setConsent(tenant(1), 'app_missing');
    expect(await codes(tenant(1))).toBe(700016);
    fake.setSecretExpired(true);
    const expired = await token(seeded.settings.partner_tenant_id);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: 'invalid_client', error_codes: [7000222], error_description: expect.stringMatching(/^AADSTS7000222: .*\r\nTrace ID: /) });
  });

  it('answers 403 Authorization_RequestDenied when the tenant’s grant lacks the permission, and 429 with Retry-After when throttled', async () => {
    fake.setConsent(tenant(1), 'consented', ['Organization.Read.All']);
    const t = (await token(tenant(1))).body.access_token as string;
    expect((await graph('/security/secureScores?$top=1', t)).body).toMatchObject({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
    fake.setTenantRequestsPerSecond(1, 3);
    await graph('/organization', t);
    const limited = await graph('/organization', t);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('x-ms-throttle-scope')).toContain(tenant(1));
    expect(fake.throttled()).toBe(1);
  });

  it('pages Partner Center customers with links.next and the MS-ContinuationToken header, echoing MS-RequestId', async () => {
    const t = (await token(seeded.settings.partner_tenant_id, { scope: partnerCenterScope })).body.access_token as string;
    const first = await fetch(`${fake.origin}/v1/customers?size=2`, { headers: { authorization: `Bearer ${t}`, 'MS-RequestId': 'req-1' } });
    expect(first.headers.get('ms-requestid')).toBe('req-1');
    const page = (await first.json()) as { items: { companyProfile: { tenantId: string } }[]; links: { next: { uri: string; headers: { key: string; value: string }[] } } };
    expect(page.items.map((i) => i.companyProfile.tenantId)).toEqual([tenant(1), tenant(2)]);
    expect(page.links.next.uri).toContain('seekOperation=Next');
    const next = await fetch(`${fake.origin}/v1${page.links.next.uri}`, { headers: { authorization: `Bearer ${t}`, 'MS-ContinuationToken': page.links.next.headers[0]!.value } });
    expect(((await next.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([tenant(3)]);
    // A Graph token is not a Partner Center token.
    const graphToken = (await token(seeded.settings.partner_tenant_id)).body.access_token as string;
    expect((await fetch(`${fake.origin}/v1/customers`, { headers: { authorization: `Bearer ${graphToken}` } })).status).toBe(401);
  });
});
