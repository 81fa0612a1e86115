import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../../test/factories.js';
import { createHealthWorld, type HealthWorld } from '../../test/healthWorld.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhookReceiver.js';
import { createWebhookDeliverer } from './deliverer.js';
import { verifyWebhookSignature } from './signature.js';


const secret = 'whsec_0123456789abcdefXYZ';

describe('alert webhooks', () => {
  let w: HealthWorld;
  let receiver: WebhookReceiver;
  let admin: string;
  let tech: string;
  let partnerId: number;
  let subdomain: string;

  beforeAll(async () => {
    // Loopback receivers are private addresses: allowed only with the operator's switch.
    w = await createHealthWorld({ env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' }, partners: 1 });
    receiver = await startWebhookReceiver();
    const p = w.partners[0];
    if (!p) throw new Error('no partner');
    ({ id: partnerId, subdomain } = p);
    admin = `Bearer ${await w.server.tokenFor(await makeUser(w.server.deps.db, partnerId, 'partner_admin'))}`;
    tech = `Bearer ${await w.server.tokenFor(await makeUser(w.server.deps.db, partnerId, 'partner_user'))}`;
  });
  afterAll(async () => {
    await receiver.close();
    await w.close();
  });
  afterEach(() => {
    receiver.received.length = 0;
    receiver.statuses.length = 0;
    w.fake.resetFaults();
  });

  const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, auth: string, payload?: object) =>
    w.server.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
  const transition = async () => {
    await w.query('UPDATE integration_health_schedule SET next_check_at = now()');
    return w.instance().sweep();
  };

  it('is set by partner admins only, keeps the secret write-only, and refuses private targets unless allowed', async () => {
    expect((await api('PUT', '/api/alerts/webhook', tech, { url: receiver.url, secret })).statusCode).toBe(403);
    // Without a secret the server generates one (issue 22; webhookSecrets.test.ts covers it).
    const noSecret = await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url });
    expect(noSecret.statusCode).toBe(200);
    expect(noSecret.json().revealedSecret).toMatch(/^whsec_/);
    expect((await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret: 'short' })).json().error.fields).toEqual({ secret: ['At least 16 characters'] });
    await api('DELETE', '/api/alerts/webhook', admin);
    expect((await api('PUT', '/api/alerts/webhook', admin, { url: 'ftp://example.test/x', secret })).json().error.fields.url).toBeDefined();

    const set = await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ url: receiver.url, enabled: true, secret: { isSet: true, last4: 'fXYZ' } });
    expect(set.body).not.toContain(secret);
    // An edit without a secret keeps the stored one.
    const edit = await api('PUT', '/api/alerts/webhook', admin, { url: `${receiver.url}?v=2`, secret: '••••••••' });
    expect(edit.json()).toMatchObject({ version: 2, secret: { isSet: true, last4: 'fXYZ' } });
    await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url });
    const stored = await w.query<{ secret: unknown }>('SELECT secret FROM partner_webhooks');
    expect(JSON.stringify(stored)).not.toContain(secret);
    const read = await api('GET', '/api/alerts/webhook', admin);
    expect(read.json()).toMatchObject({ webhook: { url: receiver.url, secret: { isSet: true, last4: 'fXYZ' } } });
    expect(read.body).not.toContain(secret);
  });

  it('refuses loopback and metadata URLs when private networks are not allowed', async () => {
    const strict = { ...w.server.deps, config: { ...w.server.deps.config, allowPrivateNetwork: false } };
    const { setWebhook } = await import('./webhooks.js');
    const actor = { userId: null, actor: 'test' };
    for (const url of ['http://127.0.0.1:9/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://10.0.0.8/x']) {
      await expect(setWebhook(strict, partnerId, actor, { url, secret })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fields: { url: [expect.stringMatching(/may not reach/)] } });
    }
  });

  it('allows only the configured webhook ports, at save and at delivery (issue 20 §7.4)', async () => {
    const { setWebhook, testWebhook } = await import('./webhooks.js');
    const actor = { userId: null, actor: 'test' };
    const only443 = { ...w.server.deps, config: { ...w.server.deps.config, webhookPorts: [443] } };
    await expect(setWebhook(only443, partnerId, actor, { url: receiver.url, secret })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: { url: [expect.stringMatching(/^Port \d+ is not allowed for webhooks; use 443$/)] },
    });
    // A URL stored while its port was allowed is not delivered to once it is not.
    await setWebhook(w.server.deps, partnerId, actor, { url: receiver.url, secret });
    expect(await testWebhook(only443, partnerId)).toMatchObject({ delivered: false, error: expect.stringMatching(/is not allowed for webhooks/) });
    expect(receiver.received).toHaveLength(0);
    expect(await testWebhook(w.server.deps, partnerId)).toMatchObject({ delivered: true });
  });

  it('delivers a signed alert that the documented verification accepts', async () => {
    await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret });
    await transition(); // Configured → Active
    const deliverer = createWebhookDeliverer(w.server.deps, { backoffMs: 20 });
    expect(await deliverer.drain()).toBe(1);
    await deliverer.stop();
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    if (!got) throw new Error('nothing received');
    const timestamp = String(got.headers['x-ic-timestamp']);
    const signature = String(got.headers['x-ic-signature']);
    // Independently of our helper: HMAC-SHA256 over "<timestamp>.<raw body>".
    expect(signature).toBe(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${got.body}`).digest('hex')}`);
    expect(verifyWebhookSignature({ secret, body: got.body, timestamp, signature })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'another-secret-of-length', body: got.body, timestamp, signature })).toBe(false);
    expect(verifyWebhookSignature({ secret, body: got.body.replace('Active', 'Error'), timestamp, signature })).toBe(false);
    expect(verifyWebhookSignature({ secret, body: got.body, timestamp, signature, nowSeconds: Number(timestamp) + 3600 })).toBe(false);
    expect(got.headers['x-ic-event']).toBe('alert.activated');
    expect(JSON.parse(got.body)).toMatchObject({ event: 'alert.activated', partnerId, integrationKey: 'syncro', fromStatus: 'Configured', toStatus: 'Active', health: 'ok' });
    expect(got.body).not.toContain('syncro-token');

    const alerts = await api('GET', '/api/alerts', tech);
    expect(alerts.json().items[0]).toMatchObject({ kind: 'activated', delivery: { state: 'delivered', attempts: 1 } });
  });

  it('retries a failing receiver with backoff until it accepts, with the same delivery id', async () => {
    await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret });
    receiver.statuses.push(500, 503);
    w.fake.setFaults({ badCredentials: true }, subdomain);
    await transition(); // Active → Error
    const deliverer = createWebhookDeliverer(w.server.deps, { backoffMs: 30 });
    const until = Date.now() + 10_000;
    while (receiver.received.length < 3 && Date.now() < until) {
      await deliverer.drain();
      await new Promise((r) => setTimeout(r, 20));
    }
    await deliverer.stop();
    expect(receiver.received.map((r) => r.headers['x-ic-event'])).toEqual(['alert.failure', 'alert.failure', 'alert.failure']);
    expect(new Set(receiver.received.map((r) => r.headers['x-ic-delivery'])).size).toBe(1);
    const [row] = await w.query<{ delivery_state: string; delivery_attempts: number }>(
      "SELECT delivery_state, delivery_attempts FROM integration_alerts WHERE kind = 'failure' ORDER BY id DESC LIMIT 1",
    );
    expect(row).toEqual({ delivery_state: 'delivered', delivery_attempts: 3 });
  });

  it('gives up after the last attempt and says so on the alert', async () => {
    await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret });
    receiver.statuses.push(500, 500, 500);
    await transition(); // Error → Active (recovery)
    const deliverer = createWebhookDeliverer(w.server.deps, { backoffMs: 10, maxAttempts: 2 });
    const until = Date.now() + 10_000;
    while (receiver.received.length < 2 && Date.now() < until) {
      await deliverer.drain();
      await new Promise((r) => setTimeout(r, 20));
    }
    await deliverer.drain();
    await deliverer.stop();
    const alerts = await api('GET', '/api/alerts?limit=1', admin);
    expect(alerts.json().items[0]).toMatchObject({ kind: 'recovery', delivery: { state: 'failed', attempts: 2 } });
    expect(receiver.received).toHaveLength(2);
  });

  it('sends a test event on request, and stops delivering once removed', async () => {
    await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret });
    const test = await api('POST', '/api/alerts/webhook/test', admin);
    expect(test.json()).toEqual({ delivered: true, status: 200, error: null });
    expect(receiver.received[0]?.headers['x-ic-event']).toBe('webhook.test');
    receiver.statuses.push(500);
    expect((await api('POST', '/api/alerts/webhook/test', admin)).json()).toEqual({ delivered: false, status: 500, error: 'The receiver answered HTTP 500' });

    expect((await api('DELETE', '/api/alerts/webhook', admin)).json()).toEqual({ deleted: true });
    expect((await api('GET', '/api/alerts/webhook', admin)).json()).toEqual({ webhook: null });
    w.fake.setFaults({ badCredentials: true }, subdomain);
    await transition();
    const alerts = await api('GET', '/api/alerts?limit=1', admin);
    expect(alerts.json().items[0]).toMatchObject({ kind: 'failure', delivery: { state: 'none', attempts: 0 } });
  });
});
