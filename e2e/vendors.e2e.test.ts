import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionRunResult } from '../shared/actions.js';
import { seedDemoHuntress } from '../server/demo/demoHuntress.js';
import { startJobWorkers } from '../server/jobs/workers.js';
import { mainNav, signIn as signInAs, signOut, toast as toastIn } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * Issue 17's "done when", for each new vendor, in real Chromium against the demo's fakes: a
 * partner admin configures it (Contoso fixes Tactical RMM's address in the form), sees real health,
 * discovers its organizations and maps one to a client by hand, then runs one read and one
 * side-effectful action from the generic Actions tab; the fake counts exactly one write. None of
 * these screens has code of its own for any of the three vendors.
 */
let world: World;
let page: Page;
const shots = e2eSuite('vendors', (suite) => {
  ({ world, page } = suite);
});

const signIn = (email: string) => signInAs(page, email, world.user(email).password);
const toast = (text: string | RegExp) => toastIn(page, text);
const statusPanel = () => page.getByRole('region', { name: 'Status' });

async function openDetail(name: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

const tab = (name: string, label: 'Mappings' | 'Actions') => page.getByRole('navigation', { name: `${name} sections` }).getByRole('link', { name: label });

/** Discovers the organizations and maps one to a client by hand, as the Mappings tab offers. */
async function discoverAndMap(name: string, discovered: RegExp, organization: string, client: string): Promise<void> {
  await tab(name, 'Mappings').click();
  await page.getByRole('heading', { level: 2, name: 'Mappings' }).waitFor();
  await page.getByRole('button', { name: 'Discover organizations' }).click();
  await page.getByText(discovered).waitFor({ timeout: 90_000 });
  await page.getByLabel('Search organizations and clients').fill(organization);
  const table = page.getByRole('region', { name: /^Organizations at .* and their clients$/ });
  await table.getByLabel(`Client for ${organization}`, { exact: true }).selectOption({ label: client });
  await toast(`${organization} mapped to ${client}`).waitFor();
}

/** Opens an action's panel on the Actions tab. */
async function openAction(label: string): Promise<Locator> {
  await page.getByRole('button', { name: `Open ${label}` }).click();
  return page.getByRole('region', { name: label });
}

/** Runs a read: its result appears in the panel. */
async function runRead(label: string, fill?: (panel: Locator) => Promise<void>): Promise<Locator> {
  const panel = await openAction(label);
  await fill?.(panel);
  await panel.getByRole('button', { name: 'Run' }).click();
  await panel.getByTestId('action-result').waitFor();
  return panel;
}

/** Reviews a side-effectful action, then runs it once: the panel says Sent. */
async function runOnce(label: string, fill: (panel: Locator) => Promise<void>): Promise<Locator> {
  const panel = await openAction(label);
  await fill(panel);
  await panel.getByRole('button', { name: 'Review' }).click();
  await panel.getByTestId('request-input').waitFor();
  await panel.getByRole('button', { name: 'Run' }).click();
  await panel.getByText('Sent', { exact: true }).waitFor({ timeout: 30_000 });
  await panel.getByTestId('action-result').waitFor();
  return panel;
}

beforeAll(async () => {
  await startJobWorkers(world.deps);
  // This world configures only Northwind's MSP360; its Huntress is configured as the admin
  // would, with the demo's user-based key (the one that may resolve incident reports).
  const huntress = seedDemoHuntress(world.fakes.huntress).settings.northwind;
  const configured = await world.rest('POST', '/api/integrations/huntress/configure', world.user('admin@northwind.example'), { settings: huntress });
  expect(configured.status).toBe(201);
  // The clients the walk maps (the demo world may already have them: a 409 then).
  for (const [email, name] of [['admin@contoso.example', 'Fabrikam Legal'], ['admin@northwind.example', 'Harbor Dental Group']] as const) {
    const created = await world.rest('POST', '/api/clients', world.user(email), { name });
    expect([201, 409]).toContain(created.status);
  }
}, 60_000);

describe('the three new vendors, from the demo to an action run once', () => {
  it('Tactical RMM: Contoso fixes the dashboard address in the form; the guard refuses a metadata address', async () => {
    await signIn('admin@contoso.example');
    await openDetail('Tactical RMM');
    await statusPanel().getByText(/This is the dashboard address, not the API address/).waitFor();
    await page.getByLabel(/^API URL/).fill(world.fakes.tacticalrmm.baseUrl);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await toast('Tactical RMM: connection works').waitFor();
    await statusPanel().getByText('Active', { exact: true }).first().waitFor();

    // 169.254.169.254 is the cloud's metadata service: refused beside the field, nothing saved.
    await page.getByLabel(/^API URL/).fill('http://169.254.169.254');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/169\.254\.169\.254.*metadata address/).first().waitFor();
    expect(await shots.screen(page, 'tactical-metadata-refused')).toEqual([]);
    await page.getByRole('button', { name: 'Discard edits' }).click();
    const stored = await world.rest<{ settings: { api_url: string } }>('GET', '/api/integrations/tacticalrmm', world.user('admin@contoso.example'));
    expect(stored.json.settings.api_url).toBe(world.fakes.tacticalrmm.baseUrl);
  }, 120_000);

  it('Tactical RMM: maps a client, lists scripts and reboots one agent, once', async () => {
    await discoverAndMap('Tactical RMM', /^6 organizations, discovered/, 'Fabrikam Legal', 'Fabrikam Legal');
    const clients = await world.rest<{ items: { id: number; name: string }[] }>('GET', '/api/clients', world.user('admin@contoso.example'));
    const fabrikam = clients.json.items.find((c) => c.name === 'Fabrikam Legal');
    const agents = await world.rest<ActionRunResult>('POST', '/api/actions/tacticalrmm.agents.find/run', world.user('admin@contoso.example'), { input: { clientId: fabrikam?.id } });
    const agentId = (agents.json.output as { agents: { agentId: string }[] }).agents[0]?.agentId ?? '';
    expect(agentId).not.toBe('');

    await tab('Tactical RMM', 'Actions').click();
    const listed = world.fakes.tacticalrmm.requestCount({ path: '/scripts/' });
    const scripts = await runRead('List Tactical RMM scripts');
    expect(world.fakes.tacticalrmm.requestCount({ path: '/scripts/' })).toBe(listed + 1);
    await scripts.getByRole('button', { name: 'Close' }).click();
    const reboots = () => world.fakes.tacticalrmm.writes().filter((w) => w.path.endsWith('/reboot/')).length;
    const before = reboots();
    await runOnce('Reboot a Tactical RMM agent', (panel) => panel.getByRole('textbox', { name: /^Agent id/ }).fill(agentId));
    expect(reboots()).toBe(before + 1);
    expect(await shots.screen(page, 'tactical-reboot-sent')).toEqual([]);
  }, 180_000);

  it('Level: Contoso maps a group, lists automations and runs one by its webhook, once', async () => {
    await openDetail('Level RMM');
    await statusPanel().getByText('Active', { exact: true }).first().waitFor();
    await discoverAndMap('Level RMM', /organizations, discovered/, 'Fabrikam Legal', 'Fabrikam Legal');
    const automations = await world.rest<ActionRunResult>('POST', '/api/actions/levelio.automations.list/run', world.user('admin@contoso.example'), { input: {} });
    const runnable = (automations.json.output as { automations: { id: string; hasWebhookTrigger?: boolean; webhook?: unknown }[] }).automations;
    expect(runnable.length).toBeGreaterThan(0);

    await tab('Level RMM', 'Actions').click();
    const listed = await runRead('List Level automations');
    await listed.getByRole('button', { name: 'Close' }).click();
    const triggers = () => world.fakes.levelio.writeCount({ route: 'trigger' });
    const before = triggers();
    let sent = false;
    // The first automation with a webhook trigger: the others say to add one in Level first.
    for (const automation of runnable) {
      const panel = await openAction('Run a Level automation');
      await panel.getByRole('textbox', { name: /^Automation id/ }).fill(automation.id);
      await panel.getByRole('button', { name: 'Review' }).click();
      await panel.getByRole('button', { name: 'Run' }).click();
      const outcome = await Promise.race([
        panel.getByText('Sent', { exact: true }).waitFor({ timeout: 30_000 }).then(() => 'sent' as const),
        panel.getByText(/add a webhook trigger/i).waitFor({ timeout: 30_000 }).then(() => 'refused' as const),
      ]);
      if (outcome === 'sent') {
        sent = true;
        break;
      }
      await panel.getByRole('button', { name: 'Close' }).click();
    }
    expect(sent).toBe(true);
    expect(triggers()).toBe(before + 1);
    expect(await shots.screen(page, 'level-trigger-sent')).toEqual([]);

    // Contoso's Huntress key is the account key: its admin is told that, not "Partner admins only".
    await openDetail('Huntress');
    await tab('Huntress', 'Actions').click();
    const resolve = page.getByRole('list', { name: 'Huntress actions' }).getByRole('listitem').filter({ hasText: 'Resolve a Huntress incident report' });
    await resolve.getByText(/account API key is read-only: resolving incident reports needs a user-based API key/).waitFor();
    expect(await resolve.getByText('Partner admins only.').count()).toBe(0);
    expect(await resolve.getByRole('button', { name: 'Open Resolve a Huntress incident report' }).isDisabled()).toBe(true);
    await signOut(page);
  }, 180_000);

  it('Huntress: Northwind discovers 1,200 organizations, maps one, lists them and resolves a report, once', async () => {
    await signIn('admin@northwind.example');
    await openDetail('Huntress');
    // Configured through the API, never checked yet: the admin checks it here.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await statusPanel().getByText('Active', { exact: true }).first().waitFor({ timeout: 30_000 });
    await discoverAndMap('Huntress', /^1,200 organizations, discovered/, 'Harbor Dental Group', 'Harbor Dental Group');

    await tab('Huntress', 'Actions').click();
    const organizations = await runRead('List Huntress organizations');
    await organizations.getByRole('button', { name: 'Close' }).click();
    const before = world.fakes.huntress.resolutionCount('northwind');
    await runOnce('Resolve a Huntress incident report', (panel) => panel.getByRole('textbox', { name: /^Incident id/ }).fill('1'));
    expect(world.fakes.huntress.resolutionCount('northwind')).toBe(before + 1);
    expect(await shots.screen(page, 'huntress-resolve-sent')).toEqual([]);
  }, 180_000);
});
