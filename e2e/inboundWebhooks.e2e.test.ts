import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../server/services/alerts/signature.js';
import { startInboundWorkers } from '../server/services/inboundWebhooks/process.js';
import { openIntegration, signIn as signInAs } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * Issue 18 §5's "done when", in real Chromium: Northwind's admin creates MSP360's inbound URL on
 * the detail screen and copies the secret shown once; the test posts a signed delivery to that URL
 * (and a tampered one, refused) and the card lists the signed one as processed.
 */
let world: World;
let page: Page;
const shots = e2eSuite('inbound-webhooks', (suite) => {
  ({ world, page } = suite);
});

const card = () => page.getByRole('region', { name: 'Inbound webhook' });

beforeAll(async () => {
  // The e2e server works no job queue of its own; processing is part of what is shown here.
  await startInboundWorkers(world.deps);
  const admin = world.user('admin@northwind.example');
  await signInAs(page, admin.email, admin.password);
}, 60_000);

describe('inbound webhooks', () => {
  it('creates the URL in the UI, shows the secret once, and lists a signed delivery posted to it', async () => {
    await openIntegration(page, 'MSP360 Managed Backup');
    await card().getByRole('button', { name: 'Create inbound URL' }).click();
    const secret = ((await card().getByTestId('revealed-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^whsec_/);
    await card().getByText('You will not see it again.').waitFor();
    const url = ((await card().getByTestId('inbound-url').textContent()) ?? '').trim();
    expect(url).toMatch(new RegExp(`^${world.url}/api/inbound/[A-Za-z0-9_-]{43}$`));
    expect(await shots.screen(page, 'secret-shown-once')).toEqual([]);

    const body = JSON.stringify({ event: 'ticket.created', id: 4711, subject: 'Scanner offline' });
    const timestamp = Math.floor(Date.now() / 1000);
    const post = (payload: string, deliveryId: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ic-timestamp': String(timestamp), 'x-ic-signature': signWebhook(secret, timestamp, body), 'x-ic-delivery-id': deliveryId }, body: payload });
    const tampered = await post(body.replace('4711', '4712'), 'e2e-tampered-1');
    expect(tampered.status).toBe(401);
    const accepted = await post(body, 'e2e-delivery-1');
    expect(accepted.status).toBe(202);

    await card().getByRole('button', { name: 'Done, I saved it' }).click();
    await expect.poll(async () => (await card().getByTestId('revealed-secret').count())).toBe(0);
    const row = card().getByRole('row', { name: /e2e-delivery-1/ });
    await expect
      .poll(
        async () => {
          await card().getByRole('button', { name: 'Refresh' }).click();
          return (await row.getByText('Processed').count()) > 0;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    expect(await card().getByRole('row', { name: /e2e-tampered-1/ }).count()).toBe(0);
    expect(await shots.screen(page, 'delivery-processed')).toEqual([]);
  }, 120_000);
});
