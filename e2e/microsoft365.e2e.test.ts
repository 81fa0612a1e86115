import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionRunResult } from '../shared/actions.js';
import type { Client } from '../shared/clients.js';
import { seedDemoMicrosoft365 } from '../server/demo/demoMicrosoft365.js';
import { startJobWorkers } from '../server/jobs/workers.js';
import { mainNav, openIntegration, signIn as signInAs, toast } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * Issue 26's "done when", in real Chromium against the demo's Microsoft 365 fake: Northwind (30
 * customer tenants under GDAP) discovers them, maps Dataforth's two tenants to one client and
 * Harbor Dental's to another; the Mappings tab shows both tenants on the one client; "List
 * Microsoft 365 tenants" flags Harbor Dental "consent missing" with its link; licenses are read
 * across Dataforth's two tenants in one table; a user's sessions are revoked exactly once. On
 * Harbor Dental Group's screen, Grant consent opens the tenant's consent page and the loopback
 * return turns the tenant consented (a return with another state is refused, nothing stored);
 * Dataforth Corp.'s screen shows both tenants' licenses and Secure Score, offline too.
 */
let world: World;
let page: Page;
const shots = e2eSuite('microsoft365', (suite) => {
  ({ world, page } = suite);
});

const admin = () => world.user('admin@northwind.example');
const dataforthClient = 'Dataforth Corp.';

async function openSection(name: 'Mappings' | 'Actions') {
  await openIntegration(page, 'Microsoft 365');
  await page.getByRole('navigation', { name: 'Microsoft 365 sections' }).getByRole('link', { name }).click();
}

beforeAll(async () => {
  await startJobWorkers(world.deps);
  // The e2e world stores only Northwind's MSP360: Microsoft 365 is configured as the admin would,
  // with the demo's settings (seeding again is idempotent and gives the same tenants).
  const { settings } = seedDemoMicrosoft365(world.fakes.microsoft365);
  expect((await world.rest('POST', '/api/integrations/microsoft365/configure', admin(), { settings: settings.northwind })).status).toBe(201);
  // The clients the walk maps (the demo world may already have them: a 409 then).
  for (const name of [dataforthClient, 'Harbor Dental Group']) {
    expect([201, 409]).toContain((await world.rest('POST', '/api/clients', admin(), { name })).status);
  }
  await signInAs(page, 'admin@northwind.example', admin().password);
}, 120_000);

async function openClient(name: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

const tenantsSection = () => page.getByRole('region', { name: 'Microsoft 365 tenants' });
const tenantCard = (name: string) => tenantsSection().getByRole('article', { name, exact: true });
const consentAudits = async () =>
  (await world.rest<{ items: { action: string; details: { message?: string } | null }[] }>('GET', '/api/integrations/microsoft365/audit', admin())).json.items.filter((e) => e.details?.message?.startsWith('Admin consent confirmed')).length;

/** Maps one discovered tenant to a client by hand, as the Mappings tab offers. */
async function map(organization: string, client: string): Promise<void> {
  await page.getByLabel('Search organizations and clients').fill(organization);
  const table = page.getByRole('region', { name: /^Organizations at .* and their clients$/ });
  await table.getByLabel(`Client for ${organization}`, { exact: true }).selectOption({ label: client });
  await toast(page, `${organization} mapped to ${client}`).waitFor();
}

describe('Microsoft 365 across customer tenants in the desktop', () => {
  it('shows two tenants on one client, and the third tenant flagged "consent missing" with its link', async () => {
    await openSection('Mappings');
    await page.getByRole('heading', { level: 2, name: 'Mappings' }).waitFor();
    await page.getByRole('button', { name: 'Discover organizations' }).click();
    await page.getByText(/^30 organizations, discovered/).waitFor({ timeout: 90_000 });
    await map('Dataforth', dataforthClient);
    await map('Dataforth EU', dataforthClient);
    await map('Harbor Dental', 'Harbor Dental Group');
    await page.getByLabel('Search organizations and clients').fill('Dataforth');
    expect(await shots.screen(page, 'microsoft365-mappings')).toEqual([]);
    const mapped = await world.rest<{ items: { externalOrgId: string; clientId: number }[] }>('GET', '/api/integrations/microsoft365/mappings', admin());
    const { dataforth, dataforthEu, harborDental } = world.vendors.microsoft365Tenants;
    expect(mapped.json.items.map((m) => m.externalOrgId).sort()).toEqual([dataforth, dataforthEu, harborDental].sort());

    await openSection('Actions');
    const label = 'List Microsoft 365 tenants';
    await page.getByRole('button', { name: `Open ${label}` }).click();
    const panel = page.getByRole('region', { name: label });
    await panel.getByRole('button', { name: 'Run' }).click();
    await panel.getByText(/^consent missing: no administrator of this tenant has consented/).waitFor({ timeout: 30_000 });
    await panel.getByText(/\/adminconsent\?client_id=/).waitFor();
    expect(await shots.screen(page, 'microsoft365-tenants-consent')).toEqual([]);
  }, 120_000);

  it("reads licenses across the client's two tenants in one table, and revokes a user's sessions once", async () => {
    const label = 'Summarize Microsoft 365 licenses';
    await page.getByRole('button', { name: `Open ${label}` }).click();
    const panel = page.getByRole('region', { name: label });
    await panel.getByLabel(/^Client/).selectOption({ label: dataforthClient });
    await panel.getByRole('button', { name: 'Run' }).click();
    const licenses = panel.getByRole('region', { name: 'Licenses' });
    await licenses.waitFor({ timeout: 30_000 });
    await licenses.getByText('Dataforth EU').first().waitFor();
    await licenses.getByText('Dataforth', { exact: true }).first().waitFor();
    expect(await shots.screen(page, 'microsoft365-licenses')).toEqual([]);

    const { dataforthEu } = world.vendors.microsoft365Tenants;
    const clients = (await world.rest<{ items: Client[] }>('GET', '/api/clients', admin())).json.items;
    const clientId = clients.find((c) => c.name === dataforthClient)?.id;
    const user = (await world.rest<ActionRunResult>('POST', '/api/actions/microsoft365.users.find/run', admin(), { input: { clientId, tenantId: dataforthEu, query: 'adele' } })).json;
    const userId = (user.output as { users: { id: string }[] }).users[0]?.id;
    const body = { input: { clientId, tenantId: dataforthEu, userId }, idempotencyKey: 'e2e-m365-revoke-0001' };
    for (let i = 0; i < 2; i++) {
      const res = await world.rest<ActionRunResult>('POST', '/api/actions/microsoft365.users.revoke_sessions/run', admin(), body);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
    expect(world.fakes.microsoft365.revocations(dataforthEu, userId)).toBe(1);
  }, 120_000);

  it("grants consent on Harbor Dental's tenant from its client screen; a return with another state is refused", async () => {
    await openClient('Harbor Dental Group');
    const harbor = tenantCard('Harbor Dental');
    await harbor.getByText('Consent missing', { exact: true }).waitFor({ timeout: 30_000 });
    await harbor.getByText(/^consent missing: no administrator of this tenant has consented/).waitFor();
    await harbor.getByText('Licenses not read: no token in this tenant yet', { exact: true }).waitFor();
    expect(await shots.screen(page, 'microsoft365-client-consent-missing')).toEqual([]);
    const { harborDental } = world.vendors.microsoft365Tenants;
    const auditsBefore = await consentAudits();

    // A page that is not this consent's return: the consent page sends the browser back with another state.
    const consentPage = /\/adminconsent\?/;
    await page.context().route(consentPage, (route) => {
      const back = new URL(new URL(route.request().url()).searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ tenant: harborDental, state: 'not-the-state-this-consent-started', admin_consent: 'True' }).toString();
      return route.fulfill({ status: 302, headers: { location: back.href } });
    });
    let opened = page.context().waitForEvent('page');
    await harbor.getByRole('button', { name: 'Grant consent in Harbor Dental' }).click();
    const stray = await opened;
    await stray.getByText(/not started by Integration Center/).waitFor();
    await stray.close();
    await page.context().unroute(consentPage);
    await harbor.getByText(/The browser came back with a consent Integration Center did not start/).waitFor({ timeout: 30_000 });
    expect(await shots.screen(page, 'microsoft365-consent-wrong-state')).toEqual([]);
    await harbor.getByText('Consent missing', { exact: true }).waitFor();
    expect(await consentAudits()).toBe(auditsBefore);

    // The real thing: the fake's consent page approves and returns to the core's loopback listener.
    opened = page.context().waitForEvent('page');
    await harbor.getByRole('button', { name: 'Grant consent in Harbor Dental' }).click();
    const returned = await opened;
    await returned.getByRole('heading', { name: 'Consent given' }).waitFor();
    expect(await shots.screen(returned, 'microsoft365-consent-returned')).toEqual([]);
    await returned.close();
    await harbor.getByText('Consent given', { exact: true }).waitFor({ timeout: 30_000 });
    await harbor.getByRole('table', { name: 'Licenses' }).getByText('O365_BUSINESS_PREMIUM').waitFor();
    await expect.poll(consentAudits).toBe(auditsBefore + 1);
    expect(await shots.screen(page, 'microsoft365-client-consented')).toEqual([]);
  }, 120_000);

  it("shows both of Dataforth's tenants with licenses and Secure Score, and offline as last read", async () => {
    await openClient(dataforthClient);
    for (const name of ['Dataforth', 'Dataforth EU']) {
      const card = tenantCard(name);
      await card.getByText('Consent given', { exact: true }).waitFor({ timeout: 30_000 });
      await card.getByRole('table', { name: 'Licenses' }).getByText('EMS', { exact: true }).waitFor();
      await card.getByText(/^\d+ of 100 \(\d+%\)/).waitFor();
    }
    expect(await shots.screen(page, 'microsoft365-client-tenants')).toEqual([]);

    await world.stop();
    try {
      // A fresh window: nothing in the renderer's memory, the core answers from its cache.
      await page.reload();
      await page.locator('.connection-pill').getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });
      await tenantsSection().getByText(/^Offline: as read/).waitFor({ timeout: 20_000 });
      for (const name of ['Dataforth', 'Dataforth EU']) await tenantCard(name).getByRole('table', { name: 'Licenses' }).getByText('O365_BUSINESS_PREMIUM').waitFor();
      expect(await shots.screen(page, 'microsoft365-client-offline')).toEqual([]);
    } finally {
      await world.restart();
    }
  }, 120_000);
});
