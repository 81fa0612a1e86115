import { beforeEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { seedM365Partner, type SeededPartner } from './fakeSeed.js';
import { m365Context, m365TestSetup } from './testContext.js';

const logs = captureLogs();
const { fake, plugin } = await m365TestSetup({ checkTimeoutMs: 10_000 });
let seeded: SeededPartner;
let ids: string[];

beforeEach(() => {
  seeded = seedM365Partner(fake, { prefix: 0xc00, tenants: 40 });
  ids = seeded.tenants.map((t) => t.id);
});

const check = (mapped = ids, settings: Record<string, string> = seeded.settings) => plugin.healthCheck(m365Context(plugin, fake, settings, logs.log, mapped));

describe('Microsoft 365 health', () => {
  it('Ok: the partner token, one discovery page, then one token and one /organization read in every mapped tenant', async () => {
    expect(await check()).toEqual({ status: 'ok', message: "All 40 mapped tenants answer with the app's own token" });
    expect(fake.tokensIssued(seeded.settings.partner_tenant_id)).toBe(1);
    for (const id of ids) {
      expect(fake.tokensIssued(id)).toBe(1);
      expect(fake.requestCount({ path: '/organization', tenant: id })).toBe(1);
    }
    // Every Graph read in a tenant carried that tenant's own token.
    expect(fake.graphLog().filter((l) => l.path === '/organization').every((l) => ids.includes(l.tenant))).toBe(true);
  });

  it('Degraded names how many tenants fail and why, in plain words', async () => {
    fake.setConsent(ids[0]!, 'not_consented');
    fake.setConsent(ids[1]!, 'app_missing');
    fake.setConsent(ids[2]!, 'gdap_not_authorized');
    fake.setConsent(ids[3]!, 'consented', ['SecurityEvents.Read.All']);
    const result = await check();
    expect(result.status).toBe('degraded');
    expect(result.message).toBe('3 of 40 tenants: consent missing; 1 of 40 tenants: permission missing');
  });

  it('Error "client secret expired" (AADSTS7000222) when Microsoft refuses the app itself; never a generic failure', async () => {
    fake.setSecretExpired(true);
    const result = await check();
    expect(result.status).toBe('error');
    expect(result.message).toContain('client secret expired');
    expect(result.message).toContain('AADSTS7000222');
  });

  it('Error when the secret is wrong; Degraded (not Error) when only discovery is refused', async () => {
    expect(await check(ids, { ...seeded.settings, client_secret: 'not-the-secret-value' })).toMatchObject({ status: 'error', message: expect.stringContaining('client secret invalid') });
    fake.setFaults({ missingPermissions: ['DelegatedAdminRelationship.Read.All'] }, seeded.settings.partner_tenant_id);
    expect(await check()).toMatchObject({ status: 'degraded', message: expect.stringContaining('GDAP relationships') });
  });

  it('a 429 with Retry-After in one tenant is waited out: that tenant answers, the others are not held', async () => {
    fake.setFaults({ rateLimited: { times: 1, retryAfterSeconds: 1 }, paths: ['/organization'] }, ids[5]!);
    const started = Date.now();
    expect((await check()).status).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.requestCount({ path: '/organization', tenant: ids[5]! })).toBe(2);
    expect(fake.throttled()).toBe(1);
  });

  it('a 429 without Retry-After is retried with backoff in that tenant only', async () => {
    fake.setFaults({ rateLimited: { times: 2 }, paths: ['/organization'] }, ids[7]!);
    expect((await check()).status).toBe('ok');
    expect(fake.requestCount({ path: '/organization', tenant: ids[7]! })).toBe(3);
    expect(fake.requestCount({ path: '/organization', tenant: ids[8]! })).toBe(1);
    expect(fake.throttled()).toBe(2);
  });

  it('Ok with no tenant mapped yet; Degraded when the secret expiry date given is near', async () => {
    expect(await check([])).toMatchObject({ status: 'ok', message: expect.stringContaining('no customer tenant is mapped') });
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect(await check([], { ...seeded.settings, client_secret_expires: soon })).toEqual({ status: 'degraded', message: `the client secret expires on ${soon}: create a new one before then` });
  });
});
