import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Client, Mapping } from '../shared/clients.js';
import { startJobWorkers } from '../server/jobs/workers.js';
import { mainNav, signIn as signInAs, signOut, toast as toastIn } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * Clients and mappings (issue 14 §6): a partner admin discovers Syncro's and MSP360's
 * organizations, accepts the suggested matches, maps one by hand, reads it all back offline,
 * and the server then holds exactly those mappings; a technician and the platform operator read
 * only. The world seeds no clients: they are made here through the API, as another client would.
 */
let world: World;
let page: Page;
const shots = e2eSuite('mapping', (suite) => {
  ({ world, page } = suite);
});

const admin = () => world.user('admin@northwind.example');
const toast = (text: string | RegExp) => toastIn(page, text);
const signIn = (email: string) => signInAs(page, email, world.user(email).password);
const clientIds = new Map<string, number>();

async function expectClean(findings: Promise<unknown[]>): Promise<void> {
  expect(await findings).toEqual([]);
}

/** What the server holds for one integration: client name → organization name, sorted. */
async function serverMappings(key: string): Promise<string[]> {
  const res = await world.rest<{ items: Mapping[] }>('GET', `/api/integrations/${key}/mappings`, admin());
  expect(res.status).toBe(200);
  const names = new Map([...clientIds].map(([name, id]) => [id, name]));
  return res.json.items.map((m) => `${names.get(m.clientId) ?? m.clientId} → ${m.externalOrgName}`).sort();
}

async function openMappings(name: string): Promise<void> {
  // Not openIntegration: offline, the audit list may wait for older entries it cannot fetch.
  await mainNav(page).getByRole('link', { name: 'Integrations' }).click();
  // The catalog first: the screen before it (Clients) links to integrations by the same names.
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('navigation', { name: `${name} sections` }).getByRole('link', { name: 'Mappings' }).click();
  await page.getByRole('heading', { level: 2, name: 'Mappings' }).waitFor();
}

// The page's own globals, for callbacks Playwright runs in the page.
declare const sessionStorage: { getItem(key: string): string | null };

/** A local API mutation from the page with its own launch token: what a script in the page could try. */
function postLocal(procedure: string, input: unknown): Promise<{ status: number; body: string }> {
  return page.evaluate(
    async ([procedure, input]) => {
      const res = await fetch(`/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'x-ic-launch-token': sessionStorage.getItem('ic.launchToken') ?? '', 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return { status: res.status, body: await res.text() };
    },
    [procedure, input] as const,
  );
}

const table = () => page.getByRole('region', { name: /^Organizations at .* and their clients$/ });
const search = (text: string) => page.getByLabel('Search organizations and clients').fill(text);

/** Starts discovery and waits for its result line. */
async function discover(expected: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Discover organizations' }).click();
  await page.getByText(expected).waitFor({ timeout: 60_000 });
}

beforeAll(async () => {
  await startJobWorkers(world.deps);
  // Northwind's Syncro starts unconfigured in this world; configure it as the admin would.
  const configured = await world.rest('POST', '/api/integrations/syncro/configure', admin(), { settings: { subdomain: 'northwind', api_token: world.credentials.northwindSyncroToken } });
  expect(configured.status).toBe(201);
  // Two are named exactly as MSP360 companies of the demo seed (server/demo/demoClients.ts).
  for (const name of ['Customer 1 Ltd', 'Customer 2 Ltd', 'Customer 3 Ltd', 'Harbor Dental Group', 'Evergreen Landscaping', 'Zeta Corp']) {
    const res = await world.rest<Client>('POST', '/api/clients', admin(), { name });
    expect(res.status).toBe(201);
    clientIds.set(name, res.json.id);
  }
}, 60_000);

describe('a partner admin maps clients to organizations', () => {
  it('lists the clients made elsewhere, and adds one with a field message for a taken name', async () => {
    await signIn('admin@northwind.example');
    await mainNav(page).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { level: 1, name: 'Clients' }).waitFor();
    await page.getByRole('heading', { level: 2, name: '6 clients' }).waitFor();
    await page.getByLabel('New client').fill('zeta corp');
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.getByText(/already/i).first().waitFor();
    await page.getByLabel('New client').fill('Omega Dental');
    await page.getByRole('button', { name: 'Add client' }).click();
    await toast('Omega Dental added').waitFor();
    await page.getByRole('heading', { level: 2, name: '7 clients' }).waitFor();
    const omega = await world.rest<{ items: Client[] }>('GET', '/api/clients', admin());
    const made = omega.json.items.find((c) => c.name === 'Omega Dental');
    expect(made).toBeDefined();
    clientIds.set('Omega Dental', made?.id ?? 0);
    await expectClean(shots.screen(page, 'clients'));
  });

  it('discovers Syncro’s customers, accepts the suggestions and maps one by hand', async () => {
    await openMappings('Syncro PSA');
    await page.getByText('Not discovered yet: discover the organizations to map them to your clients.').waitFor();
    await expectClean(shots.screen(page, 'mappings-undiscovered'));
    await discover(/^42 organizations, discovered/);
    await page.getByText('Showing 42 of 42 organizations').waitFor();

    await page.getByRole('group', { name: 'Show organizations' }).getByRole('button', { name: /^Suggested/ }).click();
    // Equal names are ticked for the admin; anything merely similar waits for a tick.
    const accept = page.getByRole('button', { name: 'Accept 3 suggestions' });
    await accept.waitFor();
    await expectClean(shots.screen(page, 'mappings-suggested'));
    await accept.click();
    await toast('3 suggestions accepted').waitFor();

    await page.getByRole('group', { name: 'Show organizations' }).getByRole('button', { name: /^All/ }).click();
    await search('Customer 7 Ltd');
    await table().getByLabel('Client for Customer 7 Ltd').selectOption({ label: 'Zeta Corp' });
    await toast('Customer 7 Ltd mapped to Zeta Corp').waitFor();
    await page.getByRole('group', { name: 'Show organizations' }).getByRole('button', { name: /^Unmapped/ }).getByText('38').waitFor();
    expect(await serverMappings('syncro')).toEqual(['Customer 1 Ltd → Customer 1 Ltd', 'Customer 2 Ltd → Customer 2 Ltd', 'Customer 3 Ltd → Customer 3 Ltd', 'Zeta Corp → Customer 7 Ltd']);
    await search('');
    await expectClean(shots.screen(page, 'mappings-syncro'));
  });

  it('discovers MSP360’s 1,500 companies into a virtualised table, and accepts its suggestions', async () => {
    await openMappings('MSP360 Managed Backup');
    await discover(/^1,500 organizations, discovered/);
    await page.getByText('Showing 1,500 of 1,500 organizations').waitFor();
    // Only the rows in view are in the page, not 1,500.
    const rendered = await table().locator('tbody tr:not([aria-hidden])').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    // Scrolled to the end, the last organization is there.
    await table().evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await table().getByText('Company 999', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Accept 2 suggestions' }).click();
    await toast('2 suggestions accepted').waitFor();
    expect(await serverMappings('msp360')).toEqual(['Evergreen Landscaping → Evergreen Landscaping', 'Harbor Dental Group → Harbor Dental Group']);
    await page.getByRole('group', { name: 'Show organizations' }).getByRole('button', { name: /^Unmapped/ }).getByText('1498').waitFor();
    await expectClean(shots.screen(page, 'mappings-msp360'));
  });

  it('reads everything from the cache offline, keeps mapping edits, and sends them once on reconnect', async () => {
    await world.stop();
    await page.reload();
    await openMappings('Syncro PSA');
    await page.getByText('Showing 42 of 42 organizations').waitFor();
    await search('Customer 7 Ltd');
    expect(await table().getByLabel('Client for Customer 7 Ltd').inputValue()).toBe(String(clientIds.get('Zeta Corp')));
    await page.getByText('Offline: changes are kept on this computer and sent by themselves when the server is back.').waitFor();

    // Two edits offline; meanwhile another admin maps one of the same organizations elsewhere.
    await search('Customer 8 Ltd');
    await table().getByLabel('Client for Customer 8 Ltd').selectOption({ label: 'Omega Dental' });
    await toast('Customer 8 Ltd mapped to Omega Dental — kept offline').waitFor();
    await search('Customer 9 Ltd');
    await table().getByLabel('Client for Customer 9 Ltd').selectOption({ label: 'Omega Dental' });
    await table().getByText('Not sent yet').waitFor();
    await expectClean(shots.screen(page, 'mappings-offline'));
    const orgs = await world.rest<{ items: { id: string; name: string }[] }>('GET', '/api/integrations/syncro/organizations?q=Customer%209%20Ltd', admin());
    const nine = orgs.json.items.find((o) => o.name === 'Customer 9 Ltd');
    const meanwhile = await world.rest('POST', '/api/integrations/syncro/mappings', admin(), { clientId: clientIds.get('Zeta Corp'), externalOrgId: nine?.id, externalOrgName: 'Customer 9 Ltd' });
    expect(meanwhile.status).toBe(201);

    await mainNav(page).getByRole('link', { name: /Pending changes/ }).click();
    const changes = page.getByRole('region', { name: 'Mapping changes' });
    await changes.getByText('Customer 8 Ltd').waitFor();
    await changes.getByText('Customer 9 Ltd').waitFor();
    await mainNav(page).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('row', { name: /^Zeta Corp/ }).getByText('Customer 7 Ltd').waitFor();
    await page.getByRole('row', { name: /^Harbor Dental Group/ }).getByRole('link', { name: 'MSP360 Managed Backup' }).waitFor();
    await expectClean(shots.screen(page, 'clients-offline'));

    await world.restart();
    // Customer 8 goes out by itself; Customer 9 was changed meanwhile: a conflict, side by side.
    await mainNav(page).getByRole('link', { name: /Pending changes/ }).click();
    const conflict = changes.getByRole('listitem', { name: 'Syncro PSA: Customer 9 Ltd' });
    await conflict.getByText('On the server now').waitFor({ timeout: 30_000 });
    await conflict.getByText('Zeta Corp').waitFor();
    await conflict.getByText('Omega Dental').waitFor();
    expect(await changes.getByText('Customer 8 Ltd').count()).toBe(0);
    await expectClean(shots.screen(page, 'mapping-conflict'));
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await changes.waitFor({ state: 'detached' });
    expect(await serverMappings('syncro')).toEqual([
      'Customer 1 Ltd → Customer 1 Ltd',
      'Customer 2 Ltd → Customer 2 Ltd',
      'Customer 3 Ltd → Customer 3 Ltd',
      'Omega Dental → Customer 8 Ltd',
      'Omega Dental → Customer 9 Ltd',
      'Zeta Corp → Customer 7 Ltd',
    ]);
    await mainNav(page).getByRole('link', { name: 'Clients' }).click();
  });

  it('renames and archives a client; the mappings stay on the server', async () => {
    await page.getByRole('button', { name: 'Rename Zeta Corp' }).click({ timeout: 30_000 });
    await page.getByLabel('New name for Zeta Corp').fill('Zeta Group');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await toast('Renamed to Zeta Group').waitFor();
    await page.getByRole('button', { name: 'Archive Omega Dental' }).click();
    await toast('Omega Dental archived').waitFor();
    await page.getByRole('heading', { level: 2, name: '6 clients' }).waitFor();
    clientIds.set('Zeta Group', clientIds.get('Zeta Corp') ?? 0);
    clientIds.delete('Zeta Corp');
    expect(await serverMappings('syncro')).toContain('Zeta Group → Customer 7 Ltd');
    await signOut(page);
  });
});

describe('reading only', () => {
  it('a technician sees clients and mappings without a control to change them, and the core refuses one', async () => {
    await signIn('tech@northwind.example');
    await mainNav(page).getByRole('link', { name: 'Clients' }).click();
    await page.getByText('Technicians can view clients and their mappings.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: /^(Add client|Rename|Archive)/ }).count()).toBe(0);
    await openMappings('Syncro PSA');
    await page.getByText('Showing 42 of 42 organizations').waitFor();
    expect(await table().getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Discover|Accept/ }).count()).toBe(0);
    await expectClean(shots.screen(page, 'mappings-technician'));
    const refused = await postLocal('mappings.applyBatch', { key: 'syncro', delete: ['1'] });
    expect(refused.status).toBe(403);
    expect(await serverMappings('syncro')).toHaveLength(6);
    await signOut(page);
  });

  it('the platform operator reads a partner’s clients and mappings, read only', async () => {
    await signIn('admin@acg.example');
    await page.getByLabel('Viewing partner').selectOption({ label: 'Northwind MSP' });
    await openMappings('Syncro PSA');
    await page.getByText('Showing 42 of 42 organizations').waitFor();
    await page.getByText(/^6 organizations mapped, 36 unmapped/).waitFor();
    expect(await table().getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Discover|Accept/ }).count()).toBe(0);
    await expectClean(shots.screen(page, 'mappings-dev'));
    await mainNav(page).getByRole('link', { name: 'Clients' }).click();
    await page.getByText('You are viewing another partner’s clients to support them; they are read-only.').waitFor();
    await page.getByRole('heading', { level: 2, name: '6 clients' }).waitFor();
    expect(await page.getByRole('button', { name: /^(Rename|Archive) / }).count()).toBe(0);
    expect(await page.getByLabel('New client').count()).toBe(0);
    await expectClean(shots.screen(page, 'clients-dev'));
    await page.getByRole('button', { name: 'Back to ACG' }).click();
    await signOut(page);
  });
});
