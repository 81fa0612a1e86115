import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTokenService } from '../server/auth/tokens.js';
import { callLocal as callLocalFrom } from './harness/app.js';
import { openApp } from './harness/browser.js';
import { startDesktop } from './harness/desktop.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * Everyone else, and the edges: the first run, a technician, partner isolation, the platform
 * operator's fleet and support view, sign-in failures, and a session that ends under the user.
 */
let world: World;
let browser: Browser;
let page: Page;
const shots = e2eSuite('roles', (suite) => {
  ({ world, browser, page } = suite);
});

const mainNav = () => page.getByRole('navigation', { name: 'Main' });
const toast = (text: string | RegExp) => page.getByRole('region', { name: 'Notifications' }).getByText(text);

async function expectClean(findings: Promise<unknown[]>): Promise<void> {
  expect(await findings).toEqual([]);
}

async function signIn(email: string, password = world.user(email).password): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

async function openIntegration(name: string): Promise<void> {
  await mainNav().getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByText(/entries? loaded|No audit entries yet/).waitFor();
}

/** A raw call of the local API from the page, with the page's own launch token. */
const callLocal = (procedure: string, input?: unknown) => callLocalFrom(page, procedure, input);

describe('first run', () => {
  it('asks for the server address before anything else, checks it, then offers sign-in there', async () => {
    const fresh = await startDesktop({ serverUrl: null });
    const { context, page: first } = await openApp(browser, fresh.url);
    try {
      await first.getByRole('heading', { name: 'Connect to your server' }).waitFor();
      expect(await shots.screen(first, 'first-run')).toEqual([]);
      await first.getByLabel(/^Server address/).fill('ftp://files.example.com');
      await first.getByRole('button', { name: 'Continue' }).click();
      await first.getByText(/Use an https address/).waitFor();
      await first.getByLabel(/^Server address/).fill(world.url);
      await first.getByRole('button', { name: 'Continue' }).click();
      await first.getByRole('heading', { name: 'Sign in' }).waitFor();
      await first.getByText(world.url).waitFor();
      await first.getByRole('button', { name: 'Change the server address' }).waitFor();
      expect(await shots.screen(first, 'login-after-first-run')).toEqual([]);
    } finally {
      await context.close();
      await fresh.close();
    }
  });
});

describe('a technician', () => {
  it('sees everything read-only: no mutation controls, and a short note why', async () => {
    await signIn('tech@northwind.example');
    await page.getByText('Technician · Northwind MSP').waitFor();
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    expect(await mainNav().getByRole('link', { name: /Pending changes/ }).count()).toBe(0);
    await expectClean(shots.screen(page, 'technician-catalog'));

    await openIntegration('MSP360 Managed Backup');
    await page.getByRole('note').getByText(/Technicians can view integrations, status and audit, and test a saved connection/).waitFor();
    for (const name of [/^Save/, /Delete/, /Replace/, /Test these values/]) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    await expectClean(shots.screen(page, 'technician-detail'));

    // Not just hidden: the core refuses a technician's change as well.
    const refused = await callLocal('drafts.save', { integrationKey: 'msp360', kind: 'reconfigure', values: { api_login: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Only partner admins can change integrations');
  });

  it('tests the saved connection: it changes nothing, and the audit names the technician', async () => {
    const tech = world.user('tech@northwind.example');
    const panel = page.getByRole('region', { name: 'Status' });
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await toast('MSP360 Managed Backup: connection works').waitFor();
    await panel.getByText('Saved configuration').waitFor();
    const audit = page.getByRole('region', { name: 'Audit history, newest first' });
    await audit.getByText('Connection tested').first().waitFor();
    await audit.getByText(`by ${tech.email}`).first().waitFor();
    await expectClean(shots.screen(page, 'technician-tested'));

    const server = await world.rest<{ items: { action: string; userId: number | null }[] }>('GET', '/api/integrations/msp360/audit?action=tested&limit=1', world.user('admin@northwind.example'));
    expect(server.json.items[0]).toMatchObject({ action: 'tested', userId: tech.id });
    // Values a technician typed are another matter: the core refuses to send them to be tested.
    const typed = await callLocal('integrations.test', { key: 'msp360', settings: { api_login: 'probe', api_password: 'probe-password', enabled: true } });
    expect(typed.status).toBe(403);
  });

  it('never sees another partner’s integrations: the cache holds only Northwind, and switching is refused', async () => {
    const contoso = world.partnerId('Contoso Managed IT');
    const reads = await Promise.all([
      callLocal('catalog.list'),
      callLocal('catalog.get', { key: 'syncro' }),
      callLocal('catalog.get', { key: 'msp360' }),
      callLocal('audit.list', { key: 'syncro' }),
      callLocal('audit.list', { key: 'msp360' }),
    ]);
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(read.body).not.toMatch(/contoso/i);
    }
    expect(reads[2]?.body).toContain(world.credentials.northwindMspLogin);
    expect(await page.content()).not.toMatch(/contoso/i);
    const switched = await callLocal('session.switchPartner', { partnerId: contoso });
    expect(switched.status).toBe(403);
    await signOut();
  });
});

describe('the platform operator (dev partner)', () => {
  it('sees the fleet matrix of every partner', async () => {
    await signIn('admin@acg.example');
    await mainNav().getByRole('link', { name: 'Fleet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();
    const matrix = page.getByRole('table', { name: 'Integration status per partner' });
    const row = (partner: string) => matrix.getByRole('row', { name: new RegExp(`^${partner}`) });
    await row('Contoso Managed IT').waitFor();
    // Contoso: Syncro, MSP360, Huntress and Level Active; Tactical RMM in Error (the dashboard's
    // address), NinjaOne (not signed in yet) and Teams (an out-of-date bot secret) too.
    expect(await row('Contoso Managed IT').getByText('Active', { exact: true }).count()).toBe(4);
    // Contoso's Syncro token lacks a permission, its Huntress key may not read incident reports:
    // beside their status the fleet says Degraded.
    expect(await row('Contoso Managed IT').getByText('Degraded', { exact: true }).count()).toBe(2);
    expect(await row('Northwind MSP').getByText('Degraded', { exact: true }).count()).toBe(0);
    // Each checked cell carries its last 24 hours' uptime, by the detail's rule.
    expect(await row('Contoso Managed IT').getByText(/^\d+(\.\d+)?% · 24 h$/).count()).toBe(7);
    await page.getByText('3 failing integrations, 2 degraded, across 3 partners').waitFor();
    expect(await row('Northwind MSP').getByText('Active', { exact: true }).count()).toBe(1);
    expect(await row('Northwind MSP').getByText('Not configured', { exact: true }).count()).toBe(7);
    await expectClean(shots.screen(page, 'dev-fleet'));
  });

  it('switches to a partner to support it: read-only, with the way back', async () => {
    await page.getByLabel('Viewing partner').selectOption({ label: 'Contoso Managed IT' });
    await mainNav().getByRole('link', { name: 'Integrations' }).click();
    await page.getByText('Another partner’s integrations, read-only.').waitFor();
    await page.getByText('Showing 8 of 8 integrations').waitFor();
    // The catalog card says Degraded beside Active too, as does the detail's header.
    await page.getByRole('listitem').filter({ hasText: 'Syncro PSA' }).getByText('Degraded', { exact: true }).waitFor();
    await openIntegration('Syncro PSA');
    await page.locator('.detail-title').getByText('Degraded', { exact: true }).waitFor();
    await page.getByRole('note').getByText(/viewing another partner’s integrations to support them/).waitFor();
    await page.getByText('contoso', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: /^Save|Delete|Test/ }).count()).toBe(0);
    await expectClean(shots.screen(page, 'dev-viewing-partner'));

    await page.getByRole('button', { name: 'Back to ACG' }).click();
    await mainNav().getByRole('link', { name: 'Integrations' }).click();
    await page.getByText(/Connect the tools ACG uses/).waitFor();
    await signOut();
  });
});

describe('signing in when things go wrong', () => {
  it('says when the server cannot be reached', async () => {
    await world.stop();
    await signIn('admin@northwind.example');
    await page.getByRole('alert').getByText('Can’t reach the server.').waitFor();
    await expectClean(shots.screen(page, 'login-unreachable'));
    await world.restart();
  });

  it('says when sign-in is rate limited, and counts down', async () => {
    for (let i = 0; i < 3; i++) {
      await signIn('tech@contoso.example', `wrong-${i}`);
      await page.getByRole('alert').getByText('Email or password is incorrect.').waitFor();
    }
    await signIn('tech@contoso.example', 'wrong-again');
    await page.getByRole('alert').getByText('Too many sign-in attempts.').waitFor();
    await page.getByRole('button', { name: /^Wait \d+ (s|min)$/ }).waitFor();
    await expectClean(shots.screen(page, 'login-rate-limited'));
  });
});

describe('a session that ends', () => {
  it('returns to sign-in saying the session ended; the drafts and cache are kept for the same user', async () => {
    await page.reload();
    await signIn('admin@northwind.example');
    await page.getByText('Showing 8 of 8 integrations').waitFor();

    // Review mode: this save becomes a draft even though the app is online.
    await mainNav().getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('switch', { name: 'Review changes before applying' }).check();
    await toast('Review mode on').waitFor();
    await expectClean(shots.screen(page, 'settings'));
    await openIntegration('MSP360 Managed Backup');
    await page.getByLabel(/^API login/).fill(world.credentials.northwindMspOps);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await toast('Saved as a draft').waitFor();

    // The operator rotates the server's signing secret: every issued token stops working.
    world.deps.tokens = createTokenService({ ...world.deps.config.jwt, secret: 'a-rotated-signing-secret-0123456789abcdef' });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('note').getByText(/Your session ended\./).waitFor();
    await page.getByText(/your drafts and the data cached on this computer are kept/).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe('admin@northwind.example');
    await expectClean(shots.screen(page, 'login-session-ended'));

    await page.getByLabel('Password').fill(world.user('admin@northwind.example').password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await mainNav().getByRole('link', { name: /^Pending changes/ }).click();
    const draft = page.getByRole('article', { name: 'MSP360 Managed Backup' });
    await draft.getByRole('row', { name: `API login ${world.credentials.northwindMspLogin} ${world.credentials.northwindMspOps}` }).waitFor();
    await expectClean(shots.screen(page, 'changes-after-relogin'));

    // The draft can still be edited, then discarded; the server never saw it.
    await draft.getByRole('button', { name: 'Edit the MSP360 Managed Backup draft' }).click();
    await draft.getByLabel(/^API login/).fill(world.credentials.northwindMspBackup);
    await draft.getByRole('button', { name: 'Save draft' }).click();
    await toast('Draft updated').waitFor();
    await draft.getByRole('row', { name: `API login ${world.credentials.northwindMspLogin} ${world.credentials.northwindMspBackup}` }).waitFor();
    await draft.getByRole('button', { name: 'Discard the MSP360 Managed Backup draft' }).click();
    await page.getByRole('alertdialog', { name: 'Discard the MSP360 Managed Backup draft?' }).getByRole('button', { name: 'Discard draft' }).click();
    await page.getByText('No pending changes').waitFor();
    const stored = await world.rest<{ settings: Record<string, unknown> }>('GET', '/api/integrations/msp360', world.user('admin@northwind.example'));
    expect(stored.json.settings.api_login).toBe(world.credentials.northwindMspLogin);
  });
});
