import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../server/services/alerts/signature.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, type SyncUser } from '../test/syncHarness.js';

// Inbound webhooks through the desktop core, over the real server and PostgreSQL: the URL made
// with its secret answered once (and completed with the server's address), a delivery posted to
// it listed, a technician reading but not rotating or replaying, and offline "needs a connection".

let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
const cores = coresOf(() => server);

beforeAll(async () => {
  server = await SyncServer.start();
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  const configured = await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings: { subdomain: 'acme', api_token: 'tok_inbound_core_0001', region: 'us' } });
  expect(configured.status, JSON.stringify(configured.json())).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const signedIn = (user: SyncUser) => cores.signedIn(user);

describe('inbound webhooks in the desktop core', () => {
  it('makes the URL with its secret once, lists a signed delivery, and a technician reads but changes nothing', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.inbound;
    expect(await api.endpoint('testvendor')).toEqual({ endpoint: null });
    const made = await api.rotate('testvendor');
    // The server knows no public address here: the core completes the URL with the one it talks to.
    expect(made.url).toBe(`${server.url}${made.path}`);
    expect(made.secret).toMatch(/^whsec_/);
    const view = await api.endpoint('testvendor');
    expect(view.endpoint?.url).toBe(made.url);
    expect(JSON.stringify(view)).not.toContain(made.secret);

    const body = '{"event":"core"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(made.url as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ic-timestamp': String(timestamp), 'x-ic-signature': signWebhook(made.secret, timestamp, body), 'x-ic-delivery-id': 'core-1' },
      body,
    });
    expect(res.status).toBe(202);
    const page = await api.deliveries({ key: 'testvendor' });
    expect(page.items.map((d) => d.deliveryId)).toEqual(['core-1']);

    const t = await signedIn(tech);
    expect((await t.core.services.inbound.endpoint('testvendor')).endpoint?.path).toBe(made.path);
    await expect(t.core.services.inbound.rotate('testvendor')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.core.services.inbound.replay({ key: 'testvendor', id: page.items[0]?.id ?? 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('offline, says it needs a connection', async () => {
    const h = await signedIn(admin);
    await server.down();
    await h.core.services.sync.now();
    await expect(h.core.services.inbound.endpoint('testvendor')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/need a connection/) });
    await expect(h.core.services.inbound.rotate('testvendor')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
