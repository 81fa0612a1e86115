import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mapping } from '../../../shared/clients.js';
import type { DiscoveryRun } from '../../../shared/integrations/discovery.js';
import { startFakeMicrosoft365, type FakeMicrosoft365 } from '../../integrations/microsoft365/fakeServer.js';
import { seedM365Partner, type SeededPartner } from '../../integrations/microsoft365/fakeSeed.js';
import { createMicrosoft365Plugin, type M365Plugin } from '../../integrations/microsoft365/index.js';
import { testHttp } from '../../integrations/microsoft365/testContext.js';
import { startJobWorkers } from '../../jobs/workers.js';
import { raiseCredentialAlerts } from '../alerts/credentialAlerts.js';
import { createCatalogWorld, type CatalogWorld } from '../../test/catalogWorld.js';

/**
 * Issue 26's demo through the whole server: the stored, locked token source (one
 * oauth_connections row per customer tenant, not the in-memory one the plugin tests use),
 * discovery on the real job engine, mappings in PostgreSQL, actions through the action service
 * (idempotency, client scope). A partner with 30 customer tenants discovers them, maps two to one
 * client, sees a third flagged "consent missing" with its link, reads licenses across both and
 * revokes a user's sessions exactly once.
 */
let fake: FakeMicrosoft365;
let plugin: M365Plugin;
let w: CatalogWorld;
let seeded: SeededPartner;

beforeAll(async () => {
  fake = await startFakeMicrosoft365();
  seeded = seedM365Partner(fake, { prefix: 0xe00, tenants: 30, names: (i) => (i === 1 ? 'Dataforth' : i === 2 ? 'Dataforth EU' : i === 3 ? 'Harbor Dental' : `Customer ${i}`) });
  plugin = createMicrosoft365Plugin({ checkTimeoutMs: 10_000, http: testHttp });
  w = await createCatalogWorld({ plugins: [plugin], env: { VENDOR_EMULATORS: 'true', MICROSOFT365_EMULATOR_URL: fake.origin } });
  await startJobWorkers(w.server.deps);
}, 60_000);
afterAll(async () => {
  await w?.close();
  await plugin?.close();
  await fake?.close();
});

async function discover(): Promise<DiscoveryRun> {
  expect((await w.request('POST', '/api/integrations/microsoft365/discovery', w.a.admin)).statusCode).toBe(202);
  for (let i = 0; i < 300; i++) {
    const { run } = (await w.request('GET', '/api/integrations/microsoft365/discovery', w.a.admin)).json() as { run: DiscoveryRun };
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('discovery did not finish');
}
const newClient = async (name: string) => ((await w.request('POST', '/api/clients', w.a.admin, { name })).json() as { id: number }).id;
const runAction = (id: string, body: object, who = w.a.admin) => w.request('POST', `/api/actions/${id}/run`, who, body);

describe('Microsoft 365 across customer tenants, through the server', () => {
  it('refuses a partner tenant id that is neither a GUID nor a domain, naming the field; stores nothing', async () => {
    const res = await w.request('POST', '/api/integrations/microsoft365/configure', w.a.admin, { settings: { ...seeded.settings, partner_tenant_id: 'not a tenant!' } });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(['settings.partner_tenant_id']);
    expect((await w.server.deps.db.pool.query(`SELECT 1 FROM integration_configurations WHERE partner_id = $1 AND integration_key = 'microsoft365'`, [w.a.id])).rowCount).toBe(0);
  });

  it('discovers 30 tenants, maps two to one client, flags a third "consent missing" with its link, reads licenses across both, revokes once', async () => {
    const configured = await w.request('POST', '/api/integrations/microsoft365/configure', w.a.admin, { settings: seeded.settings });
    expect(configured.statusCode, configured.body).toBe(201);
    const run = await discover();
    expect(run.status).toBe('succeeded');
    const [a, b, c] = seeded.tenants.map((t) => t.id) as [string, string, string];

    const dataforth = await newClient('Dataforth Corporation');
    const harbor = await newClient('Harbor Dental');
    const applied = await w.request('POST', '/api/integrations/microsoft365/mappings/apply', w.a.admin, {
      create: [
        { clientId: dataforth, externalOrgId: a, externalOrgName: 'Dataforth' },
        { clientId: dataforth, externalOrgId: b, externalOrgName: 'Dataforth EU' },
        { clientId: harbor, externalOrgId: c, externalOrgName: 'Harbor Dental' },
      ],
    });
    expect(applied.statusCode, applied.body).toBeLessThan(300);
    const mine = (await w.request('GET', `/api/clients/${dataforth}/mappings`, w.a.tech)).json() as { items: Mapping[] };
    expect(mine.items.map((m) => m.externalOrgId).sort()).toEqual([a, b].sort());

    // Harbor Dental's admin never consented: the tenant list says so, in words, with the link.
    fake.setConsent(c, 'not_consented');
    const listed = await runAction('microsoft365.tenants.list', { input: {} }, w.a.tech);
    expect(listed.statusCode, listed.body).toBe(200);
    const tenants = listed.json().output.tenants as { tenantId: string; clientId: number; consent: string; reason: string | null; consentUrl: string | null }[];
    expect(tenants.map((t) => [t.tenantId, t.clientId, t.consent]).sort()).toEqual(
      [
        [a, dataforth, 'consented'],
        [b, dataforth, 'consented'],
        [c, harbor, 'not_consented'],
      ].sort(),
    );
    const third = tenants.find((t) => t.tenantId === c)!;
    expect(third.reason).toMatch(/^consent missing: .*\(AADSTS65001\)$/);
    expect(new URL(third.consentUrl!).pathname).toBe(`/${c}/adminconsent`);

    // The partner admin presses "Grant consent" for that tenant: a wrong state is refused and
    // stores nothing; the right one is taken once and re-checked with a token from that tenant.
    const verifier = randomBytes(32).toString('base64url');
    const started = await w.request('POST', '/api/integrations/microsoft365/connection/consent/start', w.a.admin, {
      organizationKey: c.toUpperCase(),
      redirectUri: 'http://127.0.0.1:50333/callback',
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    });
    expect(started.statusCode, started.body).toBe(200);
    const { consentUrl, state } = started.json() as { consentUrl: string; state: string };
    expect(new URL(consentUrl).pathname).toBe(`/${c}/adminconsent`);
    // Another client's customer, or none at all: not found, nothing started.
    expect((await w.request('POST', '/api/integrations/microsoft365/connection/consent/start', w.a.admin, { organizationKey: seeded.tenants[9]!.id, redirectUri: 'http://127.0.0.1:50333/callback', codeChallenge: createHash('sha256').update(verifier).digest('base64url') })).statusCode).toBe(404);
    const back = new URL((await fetch(consentUrl, { redirect: 'manual' })).headers.get('location')!);
    expect(back.searchParams.get('admin_consent')).toBe('True');
    const stored = async () => Number((await w.server.deps.db.pool.query(`SELECT (SELECT count(*) FROM oauth_connections WHERE partner_id = $1) + (SELECT count(*) FROM oauth_pending WHERE partner_id = $1) AS n`, [w.a.id])).rows[0].n);
    const storedBefore = await stored();
    const forged = await w.request('POST', '/api/integrations/microsoft365/connection/consent/complete', w.a.admin, { state: randomBytes(32).toString('base64url'), codeVerifier: verifier, tenant: c, adminConsent: 'True' });
    expect(forged.statusCode).toBe(400);
    expect(await stored()).toBe(storedBefore);
    const done = await w.request('POST', '/api/integrations/microsoft365/connection/consent/complete', w.a.admin, { state, codeVerifier: verifier, tenant: back.searchParams.get('tenant'), adminConsent: 'True' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ organizationKey: c, consented: true, reason: null });
    // Once: the same state again is unknown.
    expect((await w.request('POST', '/api/integrations/microsoft365/connection/consent/complete', w.a.admin, { state, codeVerifier: verifier })).statusCode).toBe(400);
    fake.setConsent(c, 'not_consented');
    await w.server.deps.db.pool.query(`UPDATE oauth_connections SET access_token = NULL, expires_at = NULL WHERE partner_id = $1 AND organization_key = $2`, [w.a.id, c]);

    // Health: the partner token, one discovery page, then each mapped tenant; Degraded counts it.
    expect((await w.request('POST', '/api/integrations/microsoft365/test', w.a.admin, {})).json()).toMatchObject({ health: 'degraded', message: '1 of 3 tenants: consent missing' });

    const licenses = await runAction('microsoft365.licenses.summary', { input: { clientId: dataforth } }, w.a.tech);
    expect(licenses.statusCode, licenses.body).toBe(200);
    const out = licenses.json().output as { tenants: { tenantId: string; ok: boolean }[]; licenses: { tenantId: string }[] };
    expect(out.tenants.map((t) => [t.tenantId, t.ok])).toEqual([
      [a, true],
      [b, true],
    ]);
    expect(new Set(out.licenses.map((l) => l.tenantId))).toEqual(new Set([a, b]));
    // Another client's tenant through this client: 404, nothing asked of Microsoft.
    const before = fake.requestCount({ tenant: c });
    expect((await runAction('microsoft365.licenses.summary', { input: { clientId: dataforth, tenantId: c } }, w.a.tech)).statusCode).toBe(404);
    expect(fake.requestCount({ tenant: c })).toBe(before);

    // Revoke once; the same key again is the same run: one call at the fake.
    const user = seeded.tenants[1]!.users![0]!;
    const body = { input: { clientId: dataforth, tenantId: b, userId: user.id }, idempotencyKey: 'm365-revoke-key-0001' };
    const first = await runAction('microsoft365.users.revoke_sessions', body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().output).toEqual({ tenantId: b, tenantName: 'Dataforth EU', userId: user.id, revoked: true });
    expect((await runAction('microsoft365.users.revoke_sessions', body)).statusCode).toBe(200);
    expect(fake.revocations(b, user.id)).toBe(1);

    // One stored token row per tenant asked (partner + the three), none of them in plain text.
    const rows = await w.server.deps.db.pool.query(`SELECT organization_key, access_token FROM oauth_connections WHERE partner_id = $1 AND integration_key = 'microsoft365' AND access_token IS NOT NULL`, [w.a.id]);
    expect(rows.rows.map((r) => r.organization_key as string).sort()).toEqual(['', a, b].sort());
    for (const r of rows.rows) expect(String(r.access_token)).not.toMatch(/^fake|^ey/);
    // Partner B sees none of it.
    expect((await runAction('microsoft365.tenants.list', { input: {} }, w.b.admin)).statusCode).not.toBe(200);
  }, 60_000);

  it('a tenant whose GDAP relationship ended disappears at the next discovery and its mapping is flagged missing at vendor', async () => {
    const [a] = seeded.tenants.map((t) => t.id) as [string];
    fake.setRelationshipStatus(`rel-${a}`, 'terminated');
    expect((await discover()).status).toBe('succeeded');
    const mappings = (await w.request('GET', '/api/integrations/microsoft365/mappings', w.a.tech)).json() as { items: Mapping[] };
    expect(mappings.items.filter((m) => m.missingAtVendor).map((m) => m.externalOrgId)).toEqual([a]);
    // The health sweep leaves that tenant out (the missing-at-vendor count says it once).
    fake.resetCounts();
    const tested = (await w.request('POST', '/api/integrations/microsoft365/test', w.a.admin, {})).json();
    expect(tested).toMatchObject({ health: 'degraded', message: '1 of 2 tenants: consent missing; 1 mapped organization is missing at the vendor' });
    expect(fake.requestCount({ tenant: a })).toBe(0);
  }, 60_000);

  it("the secret's Expires date the partner gave is when its credential age falls due, and the alert says that date", async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const saved = await w.request('POST', '/api/integrations/microsoft365/reconfigure', w.a.admin, { settings: { ...seeded.settings, client_secret: '', client_secret_expires: soon } });
    expect(saved.statusCode, saved.body).toBe(200);
    const age = (await w.request('GET', '/api/integrations/microsoft365/credential-age', w.a.tech)).json();
    expect(age).toMatchObject({ maxAgeDays: 180, source: 'vendor' });
    expect(age.items).toEqual([expect.objectContaining({ field: 'client_secret', state: 'rotate_soon', dueAt: `${soon}T00:00:00.000Z` })]);
    expect(await raiseCredentialAlerts(w.server.deps)).toBe(1);
    const alerts = (await w.request('GET', '/api/alerts', w.a.admin)).json() as { items: { kind: string; message: string }[] };
    expect(alerts.items.find((a) => a.kind === 'rotate_soon')?.message).toBe(`Microsoft 365's Client secret expires on ${soon}: rotate it before then`);
  }, 60_000);
});
