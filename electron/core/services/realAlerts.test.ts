import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControllablePlugin, createTestVendor } from '../../../server/integrations/testing/controllablePlugin.js';
import { verifyWebhookSignature } from '../../../server/services/alerts/signature.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, syncTestPlugins, type SyncUser } from '../test/syncHarness.js';

// The Alerts screen's and the check list's local API over the real server and PostgreSQL:
// online only, admins only for the webhook, and the generated secret never kept by the core.

let server: SyncServer;
const vendor = createTestVendor();
let admin: SyncUser;
let tech: SyncUser;
const cores = coresOf(() => server);
const received: { body: string; headers: http.IncomingHttpHeaders }[] = [];
let receiver: http.Server;
let receiverUrl: string;

beforeAll(async () => {
  // The receiver is on loopback, which partner URLs reach only with the operator's switch.
  server = await SyncServer.start([createControllablePlugin({ vendor }).plugin, ...syncTestPlugins().slice(1)], { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' });
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await server.close();
});

const signedIn = (user: SyncUser) => cores.signedIn(user);

/** Every byte the core wrote to disk: cache database, WAL, settings, keys. */
async function filesOf(dir: string): Promise<string> {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const parts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'latin1')));
  return parts.join('\n');
}

describe('alerts through the desktop core', () => {
  it('sets the webhook, answers the secret once without keeping it, tests, lists deliveries; needs the server', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.alerts;
    expect(await api.webhook()).toEqual({ webhook: null });
    const saved = await api.setWebhook({ url: receiverUrl, enabled: true });
    const secret = saved.revealedSecret ?? '';
    expect(secret).toMatch(/^whsec_/);
    expect((await api.webhook()).webhook?.secret).toEqual({ isSet: true, last4: secret.slice(-4) });

    expect(await api.testWebhook()).toEqual({ delivered: true, status: 200, error: null });
    const [delivery] = received;
    expect(delivery && verifyWebhookSignature({ secret, body: delivery.body, timestamp: delivery.headers['x-ic-timestamp'] as string, signature: delivery.headers['x-ic-signature'] as string })).toBe(true);
    const page = await api.deliveries({});
    expect(page.items.map((d) => [d.kind, d.delivered, d.httpStatus])).toEqual([['test', true, 200]]);

    const rotated = await api.rotateSecret();
    expect(rotated.revealedSecret).not.toBe(secret);
    // Neither secret reached the core's files (cache, WAL, settings).
    const disk = await filesOf(h.dir);
    expect(disk).not.toContain(secret);
    expect(disk).not.toContain(rotated.revealedSecret ?? 'never');

    await server.down();
    await expect(api.webhook()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(api.deliveries({})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('refuses the webhook to technicians in the core, and gives them the check list filtered by result', async () => {
    await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings: { subdomain: 'acme', api_token: 'tok_acme_value_0001', region: 'us' } });
    await server.rest('POST', '/api/integrations/testvendor/test', admin);
    Object.assign(vendor, { outcome: 'error', message: 'The token was refused' });
    await server.rest('POST', '/api/integrations/testvendor/test', admin);
    Object.assign(vendor, { outcome: 'ok', message: 'Partial access' });

    const t = await signedIn(tech);
    await expect(t.core.services.alerts.webhook()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.core.services.alerts.setWebhook({ url: receiverUrl, enabled: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const all = await t.core.services.alerts.checks({ key: 'testvendor' });
    expect(all.items.map((c) => c.result)).toEqual(['error', 'ok']);
    expect(all.items[0]).toMatchObject({ message: 'The token was refused', source: 'tested' });
    expect(all.items[0]?.durationMs).toEqual(expect.any(Number));
    const errors = await t.core.services.alerts.checks({ key: 'testvendor', result: 'error' });
    expect(errors.items).toHaveLength(1);
  });
});
