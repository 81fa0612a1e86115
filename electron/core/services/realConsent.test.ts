import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInPageCsp } from '../oauth/signInPage.js';
import { consentAudits as audited, consentRedirect, startM365World, type M365World } from '../test/m365World.js';
import { coresOf } from '../test/cores.js';
import type { SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';
import { tenantsNeedServer } from './clientTenants.js';

// Issue 26 in the desktop core, against the real server, PostgreSQL and the Microsoft 365 fake:
// Grant consent for a mapped tenant (the test plays the system browser: it follows the consent
// URL, which the fake answers with a 302, and brings the return to the core's listener), and a
// client's tenants read through the actions and kept for offline reading.

let w: M365World;
const cores = coresOf(() => w.server);

beforeAll(async () => {
  w = await startM365World();
}, 90_000);
afterAll(async () => {
  await w?.close();
});

const signedIn = (user: SyncUser) => cores.signedIn(user);

const consentAudits = () => audited(w);

describe('Microsoft 365 tenants in the desktop core', () => {
  it('refuses a return with another state: the browser is told, the tenant stays without consent, nothing stored', async () => {
    const h = await signedIn(w.admin);
    const target = { key: 'microsoft365', organizationKey: w.tenants.harbor };
    const audits = await consentAudits();
    const started = await h.core.services.oauth.grantConsent(target);
    const back = new URL(new URL(started.consentUrl ?? '').searchParams.get('redirect_uri') ?? '');
    back.search = new URLSearchParams({ tenant: w.tenants.harbor, state: 'A'.repeat(43), admin_consent: 'True' }).toString();
    const page = await fetch(back);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('press Grant consent to try again');
    await waitFor(() => h.core.services.oauth.consent(target)?.phase === 'failed');
    expect(h.core.services.oauth.consent(target)?.message).toMatch(/did not start \(its state did not match\); nothing was sent to the server and nothing was stored/);
    expect(await consentAudits()).toBe(audits);
    expect((await h.core.services.microsoft365.clientTenants(w.clients.harbor)).tenants[0]?.consent).toBe('not_consented');
    // The listener is closed: the genuine return cannot come later either.
    await expect(fetch(back)).rejects.toThrow();
  });

  it("grants consent in Harbor Dental's tenant: its page opened exactly while waiting, the return re-checked, the client's tenants then consented", async () => {
    const h = await signedIn(w.admin);
    const target = { key: 'microsoft365', organizationKey: w.tenants.harbor };
    const audits = await consentAudits();
    const before = await h.core.services.microsoft365.clientTenants(w.clients.harbor);
    expect(before.tenants).toMatchObject([{ tenantId: w.tenants.harbor, consent: 'not_consented', consentFixes: true, licenses: { value: null }, secureScore: { value: null } }]);
    expect(before.tenants[0]?.reason).toMatch(/^consent missing: no administrator of this tenant has consented/);

    const started = await h.core.services.oauth.grantConsent(target);
    expect(started).toMatchObject({ phase: 'waiting', message: null });
    const url = new URL(started.consentUrl ?? '');
    expect(url.origin).toBe(w.fake.origin);
    expect(url.pathname).toBe(`/${w.tenants.harbor}/adminconsent`);
    expect(new URL(url.searchParams.get('redirect_uri') ?? '').hostname).toBe('127.0.0.1');
    // The shell may open exactly this page now (not Microsoft's login origin as such).
    expect(h.core.services.shell.signInUrls()).toEqual([started.consentUrl]);

    const page = await fetch(await consentRedirect(started.consentUrl ?? ''));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(signInPageCsp);
    expect(await page.text()).toContain('Consent given — you can close this tab');
    await waitFor(() => h.core.services.oauth.consent(target)?.phase === 'consented');
    expect(h.core.services.shell.signInUrls()).toEqual([]);
    expect(await consentAudits()).toBe(audits + 1);

    const after = await h.core.services.microsoft365.clientTenants(w.clients.harbor);
    expect(after.tenants[0]).toMatchObject({ consent: 'consented', consentFixes: false, reason: null, licenses: { error: null }, secureScore: { error: null } });
    expect(after.tenants[0]?.licenses.value?.map((l) => l.skuPartNumber)).toEqual(['O365_BUSINESS_PREMIUM', 'EMS']);
  });

  it('cancel closes the listener and the page is no longer opened; Grant consent again replaces a waiting one', async () => {
    const h = await signedIn(w.admin);
    const target = { key: 'microsoft365', organizationKey: w.tenants.harbor };
    const first = await h.core.services.oauth.grantConsent(target);
    const second = await h.core.services.oauth.grantConsent(target);
    expect(h.core.services.shell.signInUrls()).toEqual([second.consentUrl]);
    // The first listener is gone: its return reaches no one.
    await expect(fetch(new URL(new URL(first.consentUrl ?? '').searchParams.get('redirect_uri') ?? ''))).rejects.toThrow();
    expect(await h.core.services.oauth.cancelConsent(target)).toMatchObject({ phase: 'cancelled', consentUrl: null });
    expect(h.core.services.shell.signInUrls()).toEqual([]);
    const secondUrl = new URL(second.consentUrl ?? '');
    const back = new URL(secondUrl.searchParams.get('redirect_uri') ?? '');
    back.searchParams.set('state', secondUrl.searchParams.get('state') ?? '');
    await expect(fetch(back)).rejects.toThrow();
  });

  it("reads both of a client's tenants with licenses and Secure Score, and offline answers with that reading and its time", async () => {
    const h = await signedIn(w.tech);
    const read = await h.core.services.microsoft365.clientTenants(w.clients.dataforth);
    expect(read.fromCache).toBe(false);
    expect(read.tenants.map((t) => `${t.tenantName}: ${t.consent}`).sort()).toEqual(['Dataforth EU: consented', 'Dataforth: consented']);
    for (const t of read.tenants) {
      expect(t.licenses.value?.every((l) => l.tenantId === t.tenantId)).toBe(true);
      expect(t.secureScore.value).toMatchObject({ maxScore: 100 });
    }
    // A technician reads, but only a partner admin grants consent.
    await expect(h.core.services.oauth.grantConsent({ key: 'microsoft365', organizationKey: w.tenants.harbor })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await w.server.down();
    const offline = await h.core.services.microsoft365.clientTenants(w.clients.dataforth);
    expect(offline).toEqual({ ...read, fromCache: true });
    await expect(h.core.services.microsoft365.clientTenants(w.clients.unread)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: tenantsNeedServer });
  });

  it("one tenant failing is reported beside the other tenant's licenses and score, not instead of them", async () => {
    const h = await signedIn(w.admin);
    w.fake.setFaults({ serverError: { times: 100, status: 403 } }, w.tenants.dataforthEu);
    try {
      const read = await h.core.services.microsoft365.clientTenants(w.clients.dataforth);
      const byName = new Map(read.tenants.map((t) => [t.tenantName, t]));
      expect(byName.get('Dataforth')).toMatchObject({ licenses: { error: null }, secureScore: { error: null } });
      expect(byName.get('Dataforth')?.licenses.value?.length).toBe(2);
      const eu = byName.get('Dataforth EU');
      expect(eu?.licenses).toMatchObject({ value: null, error: expect.any(String) });
      expect(eu?.secureScore).toMatchObject({ value: null, error: expect.any(String) });
    } finally {
      w.fake.resetFaults();
    }
  });
});
