import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from '../../test/factories.js';
import { createHealthWorld, type HealthWorld } from '../../test/healthWorld.js';
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from '../../test/webhookReceiver.js';
import { createWebhookDeliverer } from './deliverer.js';
import { verifyWebhookSignature } from './signature.js';

/**
 * Issue 22 over REST against real PostgreSQL: the generated signing secret shown exactly once,
 * rotation, the delivery log (tests and alert attempts) and the check list with durations.
 */


const signedWith = (secret: string, r: ReceivedDelivery | undefined) =>
  r !== undefined &&
  verifyWebhookSignature({ secret, body: r.body, timestamp: r.headers['x-ic-timestamp'] as string, signature: r.headers['x-ic-signature'] as string });

describe('alert webhook screen: secret shown once, deliveries, check list', () => {
  let w: HealthWorld;
  let receiver: WebhookReceiver;
  let admin: string;
  let tech: string;
  let partnerId: number;
  let subdomain: string;

  beforeAll(async () => {
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

  const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, auth: string, payload?: object) =>
    w.server.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

  it('generates the signing secret, shows it once, keeps it on edits and replaces it on rotate', async () => {
    await api('DELETE', '/api/alerts/webhook', admin);
    const created = await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url });
    expect(created.statusCode).toBe(200);
    const first = created.json().revealedSecret as string;
    expect(first).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.json().secret).toEqual({ isSet: true, last4: first.slice(-4) });

    // Afterwards only {isSet, last4}: not in a read, not in an edit's answer.
    const read = await api('GET', '/api/alerts/webhook', admin);
    expect(read.body).not.toContain(first);
    expect(read.json().webhook.secret).toEqual({ isSet: true, last4: first.slice(-4) });
    const edited = await api('PUT', '/api/alerts/webhook', admin, { url: `${receiver.url}?v=2`, enabled: true });
    expect(edited.json()).toMatchObject({ revealedSecret: null, secret: { last4: first.slice(-4) } });
    expect(edited.body).not.toContain(first);
    // The stored secret is the one shown: the receiver can verify a delivery with it.
    receiver.received.length = 0;
    expect((await api('POST', '/api/alerts/webhook/test', admin)).json()).toMatchObject({ delivered: true, status: 200 });
    expect(signedWith(first, receiver.received[0])).toBe(true);

    // Technicians cannot rotate; rotating answers a new secret once and signs with it from then on.
    expect((await api('POST', '/api/alerts/webhook/rotate-secret', tech)).statusCode).toBe(403);
    const rotated = await api('POST', '/api/alerts/webhook/rotate-secret', admin);
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json().revealedSecret as string;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    expect(rotated.json()).toMatchObject({ url: `${receiver.url}?v=2`, enabled: true, secret: { last4: second.slice(-4) } });
    receiver.received.length = 0;
    await api('POST', '/api/alerts/webhook/test', admin);
    expect(signedWith(second, receiver.received[0])).toBe(true);
    expect(signedWith(first, receiver.received[0])).toBe(false);

    // A caller-supplied secret is still accepted (backward compatible) and not echoed.
    const own = await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url, secret: 'whsec_my_own_secret_0000' });
    expect(own.json()).toMatchObject({ revealedSecret: null, secret: { last4: '0000' } });

    await api('DELETE', '/api/alerts/webhook', admin);
    expect((await api('POST', '/api/alerts/webhook/rotate-secret', admin)).statusCode).toBe(404);
  });

  it('records every delivery attempt, tests and alert retries, newest first, for partner admins only', async () => {
    await w.query('DELETE FROM webhook_deliveries');
    await api('PUT', '/api/alerts/webhook', admin, { url: receiver.url });
    receiver.statuses.push(503);
    await api('POST', '/api/alerts/webhook/test', admin);
    await api('POST', '/api/alerts/webhook/test', admin);

    // A real alert whose first attempt fails and whose retry is delivered.
    const deliverer = createWebhookDeliverer(w.server.deps, { backoffMs: 1, maxBackoffMs: 1 });
    w.fake.setFaults({ badCredentials: true }, subdomain);
    await w.query('UPDATE integration_health_schedule SET next_check_at = now()');
    await w.instance().sweep();
    receiver.statuses.push(500);
    for (let i = 0; i < 20; i++) {
      await deliverer.drain();
      const [row] = await w.query<{ delivery_state: string }>('SELECT delivery_state FROM integration_alerts ORDER BY id DESC LIMIT 1');
      if (row?.delivery_state === 'delivered') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await deliverer.stop();
    w.fake.resetFaults();

    expect((await api('GET', '/api/alerts/webhook/deliveries', tech)).statusCode).toBe(403);
    const page = await api('GET', '/api/alerts/webhook/deliveries', admin);
    expect(page.statusCode).toBe(200);
    const items = page.json().items as { kind: string; event: string; attempt: number; delivered: boolean; httpStatus: number | null; error: string | null; durationMs: number; alertId: number | null }[];
    expect(items.map((d) => [d.kind, d.event, d.attempt, d.delivered, d.httpStatus])).toEqual([
      ['alert', 'alert.failure', 2, true, 200],
      ['alert', 'alert.failure', 1, false, 500],
      ['test', 'webhook.test', 1, true, 200],
      ['test', 'webhook.test', 1, false, 503],
    ]);
    expect(items[1]?.error).toBe('The receiver answered HTTP 500');
    expect(items[0]?.alertId).toBe(items[1]?.alertId);
    for (const d of items) expect(d.durationMs).toBeGreaterThanOrEqual(0);

    // Keyset pages; bad input is a 400 with field messages.
    const one = (await api('GET', '/api/alerts/webhook/deliveries?limit=1', admin)).json();
    expect(one.items).toHaveLength(1);
    const next = (await api('GET', `/api/alerts/webhook/deliveries?limit=3&cursor=${one.nextCursor}`, admin)).json();
    expect(next.items.map((d: { attempt: number; kind: string }) => d.kind)).toEqual(['alert', 'test', 'test']);
    expect(next.nextCursor).toBeNull();
    const bad = await api('GET', '/api/alerts/webhook/deliveries?limit=0&cursor=abc', admin);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['cursor', 'limit']);

    // A refused connection is recorded without a status or any socket detail (issue 20 §7.4:
    // "refused" against "unreachable" would make the test button a port scanner).
    await api('PUT', '/api/alerts/webhook', admin, { url: 'http://127.0.0.1:9/closed' });
    await api('POST', '/api/alerts/webhook/test', admin);
    const [refused] = (await api('GET', '/api/alerts/webhook/deliveries?limit=1', admin)).json().items;
    expect(refused).toMatchObject({ kind: 'test', delivered: false, httpStatus: null, error: 'Could not deliver: no HTTP answer from the receiver' });
  });

  it('lists recent checks with their duration, filtered by result; bad input is a 400', async () => {
    await w.query('DELETE FROM integration_health_history');
    const check = async () => {
      await w.query('UPDATE integration_health_schedule SET next_check_at = now()');
      await w.instance().sweep();
    };
    await check();
    w.fake.setFaults({ badCredentials: true }, subdomain);
    await check();
    await check();
    w.fake.resetFaults();
    // And one someone asked for.
    expect((await api('POST', '/api/integrations/syncro/test', admin)).statusCode).toBe(200);

    // Technicians read it too (like the history).
    const all = await api('GET', '/api/integrations/syncro/checks', tech);
    expect(all.statusCode).toBe(200);
    const items = all.json().items as { result: string; source: string; durationMs: number | null; message: string | null; checkedAt: string }[];
    expect(items.map((c) => [c.result, c.source])).toEqual([['ok', 'tested'], ['error', 'scheduled'], ['error', 'scheduled'], ['ok', 'scheduled']]);
    for (const c of items) expect(c.durationMs).toEqual(expect.any(Number));
    expect(items[1]?.message).toMatch(/./);
    const times = items.map((c) => Date.parse(c.checkedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const errors = (await api('GET', '/api/integrations/syncro/checks?result=error', admin)).json();
    expect(errors.items.map((c: { result: string }) => c.result)).toEqual(['error', 'error']);
    const paged = (await api('GET', '/api/integrations/syncro/checks?result=ok&limit=1', admin)).json();
    expect(paged.items).toHaveLength(1);
    expect((await api('GET', `/api/integrations/syncro/checks?result=ok&limit=1&cursor=${paged.nextCursor}`, admin)).json().items[0].source).toBe('scheduled');

    const bad = await api('GET', '/api/integrations/syncro/checks?result=broken&limit=999', admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({ result: ['Must be ok, degraded or error'], limit: ['At most 200'] });
    expect((await api('GET', '/api/integrations/nosuch/checks', admin)).statusCode).toBe(404);
  });
});
