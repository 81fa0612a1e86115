import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionRunResult } from '../shared/actions.js';
import { demoNinjaOneSettings } from '../server/demo/demoNinjaOne.js';
import { demoTeamsSettings } from '../server/demo/demoTeams.js';
import { openIntegration, signIn as signInAs, signOut, toast as toastIn } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * Issue 16's "done when", in real Chromium against the demo's fakes: Contoso's admin connects
 * NinjaOne (authorization code: the sign-in page opens in a new tab, the fake's consent page is
 * allowed, the desktop's loopback listener takes the code), a revoked refresh token turns it to
 * "reconnect needed" and then disconnected with a banner and its actions unavailable, it connects
 * again and disconnects; Northwind runs a script on a NinjaOne device once (a retry with the same
 * key changes nothing) and posts to its Teams channel from the Actions tab.
 */
let world: World;
let page: Page;
const shots = e2eSuite('oauth', (suite) => {
  ({ world, page } = suite);
});

const signIn = (email: string) => signInAs(page, email, world.user(email).password);
const toast = (text: string | RegExp) => toastIn(page, text);
const connectionPanel = () => page.getByRole('region', { name: 'Connection' });
const statusPanel = () => page.getByRole('region', { name: 'Status' });
const contoso = () => world.user('admin@contoso.example');
const ninjaApp = 'demo-contoso-ninja-web';

/** Connect, then "Allow" on NinjaOne's consent page in the tab that opened; the tab ends on the listener's page. */
async function connectNinjaOne(): Promise<void> {
  const opened = page.context().waitForEvent('page');
  await connectionPanel().getByRole('button', { name: 'Connect' }).first().click();
  const consent = await opened;
  await consent.getByRole('heading', { name: /wants to access your NinjaOne account/ }).waitFor();
  expect(await shots.screen(consent, 'ninjaone-consent')).toEqual([]);
  await consent.getByRole('button', { name: 'Allow' }).click();
  await consent.getByText(/Signed in/).first().waitFor();
  await consent.close();
  await connectionPanel().getByText('Connected', { exact: true }).waitFor({ timeout: 30_000 });
}

/** Makes the stored access token due, so the next use must renew it. */
const expireToken = () => world.deps.db.pool.query("UPDATE oauth_connections SET expires_at = now() WHERE integration_key = 'ninjaone' AND access_token IS NOT NULL");

beforeAll(async () => {
  // This world configures only Northwind's MSP360: its NinjaOne and Teams are configured as the
  // admin would, with the demo's settings (client credentials for both).
  for (const [key, settings] of [['ninjaone', demoNinjaOneSettings.northwind], ['teams', demoTeamsSettings.northwind]] as const) {
    const configured = await world.rest('POST', `/api/integrations/${key}/configure`, world.user('admin@northwind.example'), { settings });
    expect(configured.status).toBe(201);
  }
  await signIn('admin@contoso.example');
}, 60_000);

describe('OAuth2 connections in the desktop', () => {
  it('Contoso connects NinjaOne: the scopes are shown first, then granted, and it turns Active', async () => {
    await openIntegration(page, 'NinjaOne');
    await statusPanel().getByText(/Not connected to NinjaOne yet/).first().waitFor();
    await connectionPanel().getByText('Integration Center will ask NinjaOne for: monitoring, management, offline_access').waitFor();
    expect(await shots.screen(page, 'ninjaone-before-connect')).toEqual([]);

    await connectNinjaOne();
    await connectionPanel().getByText('monitoring, management, offline_access').waitFor();
    await statusPanel().getByText('Active', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await shots.screen(page, 'ninjaone-connected')).toEqual([]);
    const audit = await world.rest<{ items: { action: string }[] }>('GET', '/api/integrations/ninjaone/audit', contoso());
    expect(audit.json.items.map((e) => e.action)).toContain('connected');
  }, 120_000);

  it('a revoked refresh token: reconnect needed, then disconnected with a banner and its actions unavailable', async () => {
    world.fakes.ninjaone.revokeRefreshTokens(ninjaApp);
    for (let i = 0; i < 3; i++) {
      await expireToken();
      await page.getByRole('button', { name: 'Test connection' }).click();
      await statusPanel().getByText(i < 2 ? /reconnect needed/ : /Disconnected from NinjaOne/).first().waitFor({ timeout: 30_000 });
      if (i === 0) {
        await page.getByText('NinjaOne refused to renew access: reconnect needed').waitFor();
        expect(await shots.screen(page, 'ninjaone-reconnect-needed')).toEqual([]);
      }
    }
    await page.getByText('Disconnected from NinjaOne: its actions are unavailable until you connect again').waitFor();
    expect(await shots.screen(page, 'ninjaone-disconnected-banner')).toEqual([]);
    const actions = await world.rest<{ items: { id: string; unavailable?: { code: string } }[] }>('GET', '/api/actions?key=ninjaone', contoso());
    expect(actions.json.items.every((a) => a.unavailable?.code === 'disconnected')).toBe(true);
  }, 120_000);

  it('connects again, then disconnects: the tokens are gone and the audit says who', async () => {
    await connectNinjaOne();
    await page.getByText('Disconnected from NinjaOne: its actions are unavailable until you connect again').waitFor({ state: 'detached' });
    await connectionPanel().getByRole('button', { name: 'Disconnect…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await shots.screen(page, 'ninjaone-disconnect-confirm')).toEqual([]);
    await dialog.getByRole('button', { name: /^Disconnect/ }).click();
    // Exactly the title: the last check's failure toast ("Disconnected from NinjaOne: it refused…")
    // may still be showing on a slow machine.
    await toast(/^Disconnected from NinjaOne$/).waitFor();
    await connectionPanel().getByText('Not connected', { exact: true }).first().waitFor();
    const rows = await world.deps.db.pool.query("SELECT count(*)::int AS n FROM oauth_connections WHERE integration_key = 'ninjaone' AND partner_id = $1", [contoso().partnerId]);
    expect(rows.rows[0].n).toBe(0);
    expect(await shots.screen(page, 'ninjaone-disconnected')).toEqual([]);
    await signOut(page);
  }, 120_000);

  it('Northwind runs a NinjaOne script once, even when retried, and posts to its Teams channel', async () => {
    const admin = world.user('admin@northwind.example');
    const { id: deviceId, scriptId } = world.vendors.ninjaone;
    const body = { input: { deviceId: String(deviceId), type: 'SCRIPT', id: scriptId, runAs: 'system' }, idempotencyKey: 'e2e-ninjaone-run-0001' };
    const first = await world.rest<ActionRunResult>('POST', '/api/actions/ninjaone.devices.run_script/run', admin, body);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const retried = await world.rest<ActionRunResult>('POST', '/api/actions/ninjaone.devices.run_script/run', admin, body);
    expect(retried.status).toBe(200);
    expect(world.fakes.ninjaone.scriptRuns(deviceId)).toBe(1);

    await signIn('admin@northwind.example');
    await openIntegration(page, 'Microsoft Teams');
    await connectionPanel().getByText('Client credentials: the server gets tokens itself').waitFor();
    await page.getByRole('navigation', { name: 'Microsoft Teams sections' }).getByRole('link', { name: 'Actions' }).click();
    const label = 'Post a message to a Teams channel';
    await page.getByRole('button', { name: `Open ${label}` }).click();
    const panel = page.getByRole('region', { name: label });
    await panel.getByRole('textbox', { name: /^Channel id/ }).fill(world.vendors.teamsChannel.channelId);
    await panel.getByRole('textbox', { name: /^Text/ }).fill('Backup job failed at Harbor Dental Group: on it.');
    await panel.getByRole('button', { name: 'Review' }).click();
    await panel.getByRole('button', { name: 'Run' }).click();
    await panel.getByText('Sent', { exact: true }).waitFor({ timeout: 30_000 });
    expect(world.fakes.teams.posts({ channelId: world.vendors.teamsChannel.channelId }).map((p) => p.text)).toEqual(['Backup job failed at Harbor Dental Group: on it.']);
    expect(await shots.screen(page, 'teams-posted')).toEqual([]);
  }, 180_000);
});
