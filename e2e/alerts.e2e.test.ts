import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../server/services/alerts/signature.js';
import { callLocal, mainNav, openIntegration, signIn, signOut, toast } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * Issue 22: the Alerts screen (a partner admin sets the webhook URL, sees the generated signing
 * secret once, sends test deliveries and reads the recent deliveries with their status; a
 * technician has no such screen) and the check history behind the detail's uptime bar, filtered
 * by result. A loopback receiver stands in for the partner's endpoint and checks every signature.
 */
let world: World;
let page: Page;
const shots = e2eSuite(
  'alerts',
  (suite) => {
    ({ world, page } = suite);
  },
  // The receiver is on loopback, which partner URLs may reach only with the operator's switch.
  { env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' } },
);

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
}
const received: Received[] = [];
/** Statuses the receiver answers with, in order; 200 once they run out. */
const answers: number[] = [];
let receiver: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(answers.shift() ?? 200).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/integration-center`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

const signedBy = (secret: string, r: Received | undefined) =>
  r !== undefined &&
  verifyWebhookSignature({ secret, body: r.body, timestamp: r.headers['x-ic-timestamp'] as string, signature: r.headers['x-ic-signature'] as string });

const deliveryRows = () => page.getByTestId('deliveries').locator('tbody tr');

// Each step scans two colour schemes with axe-core: slow on a loaded two-core machine.
const slow = 120_000;
let secret = '';

describe('the Alerts screen', () => {
  it('sets the URL and shows the generated secret once', async () => {
    await signIn(page, 'admin@northwind.example', world.user('admin@northwind.example').password);
    await mainNav(page).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    expect(await shots.screen(page, 'alerts-empty')).toEqual([]);

    // Bad input stays in the form with the field's message.
    await page.getByLabel(/^Webhook URL/).fill('not a url');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('Must be an http(s) URL').waitFor();

    await page.getByLabel(/^Webhook URL/).fill(receiverUrl);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByRole('heading', { name: 'Copy your signing secret now' }).waitFor();
    await page.getByText('You will not see it again.').waitFor();
    secret = (await page.getByTestId('revealed-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(await shots.screen(page, 'alerts-secret-shown')).toEqual([]);

    // Once: after "Done" the page shows only the last four characters, and so does a reload.
    await page.getByRole('button', { name: 'Done, I saved it' }).click();
    await page.getByText(`••••${secret.slice(-4)}`).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await page.getByText(`••••${secret.slice(-4)}`).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByLabel(/^Webhook URL/).inputValue()).toBe(receiverUrl);
  }, slow);

  it('sends test deliveries and lists each with its status, signed with that secret', async () => {
    // A test delivery: what the screen says is what the receiver got, signed with that secret.
    await page.getByRole('button', { name: 'Send test delivery' }).click();
    await page.getByText('Test delivered: your receiver answered HTTP 200.').waitFor();
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['x-ic-event']).toBe('webhook.test');
    expect(signedBy(secret, received[0])).toBe(true);
    await deliveryRows().first().getByText('HTTP 200', { exact: true }).waitFor();

    // A receiver that fails: said plainly, and the list shows it on top with its status.
    answers.push(500);
    await page.getByRole('button', { name: 'Send test delivery' }).click();
    await page.getByText('Test not delivered: The receiver answered HTTP 500.').waitFor();
    await deliveryRows().first().getByText('The receiver answered HTTP 500').waitFor();
    expect(await deliveryRows().count()).toBe(2);
    await deliveryRows().nth(1).getByText('HTTP 200', { exact: true }).waitFor();
    expect(await shots.screen(page, 'alerts-deliveries')).toEqual([]);
  }, slow);

  it('rotates the secret: shown once, and deliveries are signed with the new one', async () => {
    // Rotating shows a new secret once; deliveries are signed with it, no longer with the old one.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('heading', { name: 'Copy your signing secret now' }).waitFor();
    const rotated = (await page.getByTestId('revealed-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole('button', { name: 'Done, I saved it' }).click();
    await page.getByText(`••••${rotated.slice(-4)}`).waitFor();
    await page.getByRole('button', { name: 'Send test delivery' }).click();
    await page.getByText('Test delivered: your receiver answered HTTP 200.').waitFor();
    await expect.poll(() => deliveryRows().count()).toBe(3);
    const last = received[received.length - 1];
    expect(signedBy(rotated, last)).toBe(true);
    expect(signedBy(secret, last)).toBe(false);

    // The server's record agrees with the screen.
    const log = await world.rest<{ items: { kind: string; delivered: boolean; httpStatus: number | null }[] }>('GET', '/api/alerts/webhook/deliveries', world.user('admin@northwind.example'));
    expect(log.json.items.map((d) => [d.kind, d.delivered, d.httpStatus])).toEqual([['test', true, 200], ['test', false, 500], ['test', true, 200]]);
  }, slow);

  it('says plainly that it needs the server when offline', async () => {
    await world.stop();
    try {
      await page.reload();
      await page.getByRole('heading', { name: 'Alerts need the server' }).waitFor({ timeout: 20_000 });
      await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
      await page.getByText(/not available offline/).waitFor();
      expect(await shots.screen(page, 'alerts-offline')).toEqual([]);
    } finally {
      await world.restart();
    }
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor({ timeout: 20_000 });
  }, slow);

  it('is not offered to technicians, and the core refuses them the webhook', async () => {
    await signOut(page);
    await signIn(page, 'tech@northwind.example', world.user('tech@northwind.example').password);
    await page.getByText('Technician · Northwind MSP').waitFor();
    expect(await mainNav(page).getByRole('link', { name: 'Alerts' }).count()).toBe(0);
    await page.evaluate("window.location.hash = '#/alerts'");
    await page.getByRole('heading', { name: 'Alerts are for partner admins' }).waitFor();
    const refused = await callLocal(page, 'alerts.webhook');
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain(receiverUrl);
    await signOut(page);
  });
});

describe('check history', () => {
  it('opens from the uptime bar: the recent checks newest first, with result and duration', async () => {
    await signIn(page, 'admin@northwind.example', world.user('admin@northwind.example').password);
    await openIntegration(page, 'MSP360 Managed Backup');
    const panel = page.getByRole('region', { name: 'Status' });
    // A failing check (the vendor refuses the login), then a working one.
    world.fakes.msp360.setFaults({ badCredentials: true });
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await toast(page, /MSP360 Managed Backup: /).first().waitFor();
    world.fakes.msp360.resetFaults();
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await toast(page, 'MSP360 Managed Backup: connection works').first().waitFor();

    await panel.getByRole('button', { name: /Show recent checks/ }).click();
    const checks = page.getByRole('region', { name: 'Recent checks' });
    const rows = checks.getByTestId('checks').locator('tbody tr');
    await rows.first().waitFor();
    // Newest first: the working test on top, the failing one under it, each with a duration.
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    expect(await rows.nth(0).getByText('Healthy').count()).toBe(1);
    expect(await rows.nth(1).getByText('Failing').count()).toBe(1);
    expect(await rows.nth(0).locator('td').nth(2).textContent()).toMatch(/^\d+(\.\d)? (ms|s)$/);
    expect(await shots.screen(page, 'check-history')).toEqual([]);
  }, slow);

  it('filters the recent checks by result', async () => {
    const checks = page.getByRole('region', { name: 'Recent checks' });
    const rows = checks.getByTestId('checks').locator('tbody tr');
    await checks.getByLabel('Result').selectOption('error');
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('Failing')) && (await rows.count()) > 0).toBe(true);
    const failing = await rows.count();
    const server = await world.rest<{ items: { result: string }[] }>('GET', '/api/integrations/msp360/checks?result=error', world.user('admin@northwind.example'));
    expect(failing).toBe(server.json.items.length);
    expect(await rows.first().locator('td').nth(3).textContent()).toMatch(/./);
    expect(await shots.screen(page, 'check-history-failing')).toEqual([]);

    await checks.getByLabel('Result').selectOption('ok');
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('Healthy')) && (await rows.count()) > 0).toBe(true);
  }, slow);
});
