import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundBodyLimitBytes } from '../../../shared/integrations/inboundWebhooks.js';
import { createControllablePlugin } from '../../integrations/testing/controllablePlugin.js';
import type { InboundEvent } from '../../integrations/types.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../../test/catalogWorld.js';
import { postInbound, signedHeaders } from '../../test/inbound.js';
import { rotateSecrets } from '../../secrets/rotate.js';
import { createSecretCipher } from '../../secrets/cipher.js';
import { parseKeyRing } from '../../secrets/keyRing.js';
import { testEncryptionKeys } from '../../test/harness.js';
import { startInboundWorkers } from './process.js';
import { verifyInboundSecrets } from './rotateSecrets.js';

// Inbound webhooks end to end (issue 18 §5): the real route, signature checks, PostgreSQL, the job
// engine with its retries, and the plugin hook a test makes fail on purpose.

const hooked = createControllablePlugin({ key: 'hookvendor', name: 'Hook Vendor' });
const received: InboundEvent[] = [];
let failing: string | null = null;
hooked.plugin.inbound = async (event, ctx) => {
  if (failing) throw new Error(`${failing} (token ${String(ctx.settings.api_token)})`);
  received.push(event);
};

let w: CatalogWorld;
let secret: string;
let path: string;
const token = `tok_inbound_${Date.now()}_long_enough`;
const rows = async (sql: string, params: unknown[] = []) => (await w.server.deps.db.pool.query(sql, params)).rows;
const stored = async () => Number((await rows('SELECT count(*) AS n FROM inbound_deliveries'))[0].n);
const send = (body: string, headers = signedHeaders(secret, body)) => postInbound(w.server.app, path, body, headers);

async function waitForStatus(id: number, status: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await rows('SELECT status, attempts, last_error FROM inbound_deliveries WHERE id = $1', [id]);
    if (row?.status === status) return row as { status: string; attempts: number; last_error: string | null };
    if (Date.now() > until) throw new Error(`delivery ${id} is ${JSON.stringify(row)}, not ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const idOf = async (deliveryId: string) => Number((await rows('SELECT id FROM inbound_deliveries WHERE delivery_id = $1', [deliveryId]))[0].id);

beforeAll(async () => {
  w = await createCatalogWorld({ plugins: [hooked.plugin], env: { INBOUND_WEBHOOK_RETRIES: '2', INBOUND_WEBHOOK_RETRY_DELAY: '1s', PUBLIC_BASE_URL: 'https://ic.example.com' } });
  for (const p of [w.a, w.b]) expect((await w.request('POST', '/api/integrations/hookvendor/configure', p.admin, { settings: validSettings({ api_token: token }) })).statusCode).toBe(201);
  await startInboundWorkers(w.server.deps);
  const created = await w.request('POST', '/api/integrations/hookvendor/inbound', w.a.admin);
  expect(created.statusCode, created.body).toBe(200);
  ({ secret, path } = created.json());
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe('inbound webhook endpoint', () => {
  it('is made with a secret shown once, an opaque URL, and audited', async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(path).toMatch(/^\/api\/inbound\/[A-Za-z0-9_-]{43}$/);
    const view = (await w.request('GET', '/api/integrations/hookvendor/inbound', w.a.tech)).json();
    expect(view.endpoint).toMatchObject({ path, url: `https://ic.example.com${path}`, rotatedAt: null });
    expect(JSON.stringify(view)).not.toContain(secret);
    // At rest only as ciphertext.
    expect(JSON.stringify(await rows('SELECT * FROM inbound_endpoints'))).not.toContain(secret);
    const audit = (await w.request('GET', '/api/integrations/hookvendor/audit', w.a.admin)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toContain('inbound_created');
  });

  it('accepts a signed delivery: stored, processed by the hook, logged as inbound', async () => {
    const body = JSON.stringify({ event: 'ticket.created', id: 7, subject: 'Printer on fire' });
    const headers = signedHeaders(secret, body, { deliveryId: 'evt-accept-1' });
    const res = await send(body, headers);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ id: 'evt-accept-1', status: 'received' });
    const id = await idOf('evt-accept-1');
    expect(await waitForStatus(id, 'processed')).toMatchObject({ attempts: 1, last_error: null });
    expect(received.find((e) => e.deliveryId === 'evt-accept-1')?.payload).toEqual({ event: 'ticket.created', id: 7, subject: 'Printer on fire' });
    const log = (await w.request('GET', '/api/integrations/hookvendor/interactions', w.a.tech)).json();
    const row = log.items.find((i: { externalRef: string }) => i.externalRef === `inbound_delivery:${id}`);
    expect(row).toMatchObject({ direction: 'inbound', kind: 'webhook', outcome: 'ok', method: 'POST', path: '/api/inbound/{endpoint}' });
    const detail = (await w.request('GET', `/api/interactions/${row.id}`, w.a.tech)).json();
    // The allow-list applies inbound too: the subject is kept, `event` is not on it.
    expect(detail.requestBody).toEqual({ event: '[redacted]', id: 7, subject: 'Printer on fire' });
    const view = (await w.request('GET', '/api/integrations/hookvendor/inbound', w.a.admin)).json();
    expect(view.endpoint.lastDeliveryAt).not.toBeNull();
  });

  it('refuses tampered, stale, unsigned and wrongly signed deliveries with one bare 401, storing nothing', async () => {
    const before = await stored();
    const body = JSON.stringify({ event: 'x', amount: 1 });
    const now = Math.floor(Date.now() / 1000);
    const good = signedHeaders(secret, body, { timestamp: now });
    const attempts = [
      send(JSON.stringify({ event: 'x', amount: 2 }), good), // body changed after signing
      send(body, { ...good, 'x-ic-timestamp': String(now - 1) }), // timestamp changed after signing
      send(body, signedHeaders(secret, body, { timestamp: now - 301 })), // signed, but stale
      send(body, signedHeaders(secret, body, { timestamp: now + 302 })), // signed, in the future (a second may pass meanwhile)
      send(body, signedHeaders('whsec_not-the-secret', body)),
      send(body, { 'content-type': 'application/json', 'x-ic-delivery-id': 'no-signature' }),
      send(body, { ...good, 'x-ic-signature': good['x-ic-signature']?.toUpperCase() ?? '' }),
    ];
    const answers = await Promise.all(attempts);
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Unauthorized' } });
    }
    expect(await stored()).toBe(before);
  });

  it('refuses a replayed delivery id, and the same signed delivery under a new id, with 409 storing nothing twice', async () => {
    const body = JSON.stringify({ event: 'replay' });
    const headers = signedHeaders(secret, body, { deliveryId: 'evt-replay-1' });
    expect((await send(body, headers)).statusCode).toBe(202);
    const before = await stored();
    const again = await send(body, headers);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');
    // A captured request replayed inside the window with a fresh id: its signature gives it away.
    expect((await send(body, { ...headers, 'x-ic-delivery-id': 'evt-replay-2' })).statusCode).toBe(409);
    // The same id with a different body is still the same delivery id.
    const other = JSON.stringify({ event: 'replay', n: 2 });
    expect((await send(other, signedHeaders(secret, other, { deliveryId: 'evt-replay-1' }))).statusCode).toBe(409);
    expect(await stored()).toBe(before);
  });

  it('refuses a body over the cap with 413 and an unusable delivery id with 400, storing nothing', async () => {
    const before = await stored();
    const big = JSON.stringify({ pad: 'x'.repeat(inboundBodyLimitBytes) });
    const res = await send(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const body = '{}';
    const bad = await send(body, signedHeaders(secret, body, { deliveryId: 'has spaces/and slashes' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('X-IC-Delivery-Id');
    expect(await stored()).toBe(before);
  });

  it('answers 404 with no detail for an unknown or malformed URL', async () => {
    const body = '{}';
    for (const url of [`/api/inbound/${'A'.repeat(43)}`, '/api/inbound/short', `/api/inbound/${w.a.id}`]) {
      const res = await postInbound(w.server.app, url, body, signedHeaders(secret, body));
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    }
  });

  it('slows down an address after 60 refusals a minute (429 with Retry-After), never a good sender', async () => {
    const from = (url: string, body: string, headers: Record<string, string>) => w.server.app.inject({ method: 'POST', url, headers, payload: body, remoteAddress: '203.0.113.9' });
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await from(`/api/inbound/${'B'.repeat(43)}`, '{}', signedHeaders(secret, '{}'))).statusCode);
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    const limited = await from(`/api/inbound/${'B'.repeat(43)}`, '{}', signedHeaders(secret, '{}'));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const body = '{"event":"busy.but.good"}';
    const good = signedHeaders(secret, body);
    expect((await from(path, body, good)).statusCode).toBe(202);
    await waitForStatus(await idOf(good['x-ic-delivery-id'] as string), 'processed');
  });

  it('retries a failing delivery with backoff, parks it as dead after the last retry, and an admin replays it', async () => {
    failing = 'The automation is switched off';
    const body = JSON.stringify({ event: 'will.fail' });
    expect((await send(body, signedHeaders(secret, body, { deliveryId: 'evt-dead-1' }))).statusCode).toBe(202);
    const id = await idOf('evt-dead-1');
    const dead = await waitForStatus(id, 'dead');
    // One attempt and INBOUND_WEBHOOK_RETRIES=2 retries; the partner's token never in the message.
    expect(dead.attempts).toBe(3);
    expect(dead.last_error).toContain('The automation is switched off');
    expect(dead.last_error).not.toContain(token);
    const list = (await w.request('GET', '/api/integrations/hookvendor/inbound/deliveries?status=dead', w.a.tech)).json();
    expect(list.items.map((d: { deliveryId: string }) => d.deliveryId)).toEqual(['evt-dead-1']);
    const log = (await w.request('GET', '/api/integrations/hookvendor/interactions?outcome=failed', w.a.admin)).json();
    expect(log.items.find((i: { externalRef: string }) => i.externalRef === `inbound_delivery:${id}`)).toMatchObject({ direction: 'inbound', retries: 2 });

    // Technicians read but do not replay.
    expect((await w.request('POST', `/api/integrations/hookvendor/inbound/deliveries/${id}/replay`, w.a.tech)).statusCode).toBe(403);
    failing = null;
    const replay = await w.request('POST', `/api/integrations/hookvendor/inbound/deliveries/${id}/replay`, w.a.admin);
    expect(replay.statusCode, replay.body).toBe(200);
    expect(await waitForStatus(id, 'processed')).toMatchObject({ attempts: 1 });
    expect(received.filter((e) => e.deliveryId === 'evt-dead-1')).toHaveLength(1);
    // Only a dead delivery is replayed.
    const again = await w.request('POST', `/api/integrations/hookvendor/inbound/deliveries/${id}/replay`, w.a.admin);
    expect(again.statusCode).toBe(409);
    expect((await w.request('POST', '/api/integrations/hookvendor/inbound/deliveries/2147483647/replay', w.a.admin)).statusCode).toBe(404);
    expect((await w.request('POST', '/api/integrations/hookvendor/inbound/deliveries/99999999999/replay', w.a.admin)).statusCode).toBe(400);
    const audit = (await w.request('GET', '/api/integrations/hookvendor/audit', w.a.admin)).json();
    expect(audit.items.find((e: { action: string }) => e.action === 'inbound_replayed')?.details.message).toBe('Delivery evt-dead-1');
  }, 60_000);

  it('pages deliveries newest first with a cursor', async () => {
    const first = (await w.request('GET', '/api/integrations/hookvendor/inbound/deliveries?limit=2', w.a.tech)).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = (await w.request('GET', `/api/integrations/hookvendor/inbound/deliveries?limit=2&cursor=${first.nextCursor}`, w.a.tech)).json();
    const ids = [...first.items, ...second.items].map((d: { id: number }) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
  });

  it('rotates the secret (the URL stays; the old secret stops verifying) and survives a key rotation', async () => {
    const rotated = await w.request('POST', '/api/integrations/hookvendor/inbound', w.a.admin);
    const next = rotated.json();
    expect(next.path).toBe(path);
    expect(next.secret).not.toBe(secret);
    expect(next.rotatedAt).not.toBeNull();
    const body = '{"event":"after.rotate"}';
    expect((await send(body, signedHeaders(secret, body))).statusCode).toBe(401);
    secret = next.secret;
    expect((await send(body)).statusCode).toBe(202);

    // rotate-key re-encrypts the secret under a new key; senders' signatures still verify.
    const cipher = createSecretCipher(parseKeyRing(`test2:${Buffer.alloc(32, 8).toString('base64')},${testEncryptionKeys}`));
    const report = await rotateSecrets(w.server.deps.db, cipher);
    expect(report.remaining).toBe(0);
    expect((await rows("SELECT DISTINCT secret->>'kid' AS kid FROM inbound_endpoints")).map((r) => r.kid)).toEqual(['test2']);
    // The boot key check reads them too: a ring without the new key is refused, naming them.
    await expect(verifyInboundSecrets(w.server.deps.db, cipher)).resolves.toBeUndefined();
    await expect(verifyInboundSecrets(w.server.deps.db, createSecretCipher(parseKeyRing(testEncryptionKeys)))).rejects.toThrow(/no key "test2", which encrypts 1 inbound webhook secret/);
    w.server.deps.secrets = cipher;
    const later = '{"event":"after.key.rotation"}';
    expect((await send(later)).statusCode).toBe(202);
  });

  it('deletes the URL: it answers 404 from then on', async () => {
    expect((await w.request('DELETE', '/api/integrations/hookvendor/inbound', w.a.tech)).statusCode).toBe(403);
    expect((await w.request('DELETE', '/api/integrations/hookvendor/inbound', w.a.admin)).json()).toEqual({ deleted: true });
    const body = '{}';
    expect((await send(body)).statusCode).toBe(404);
    expect((await w.request('GET', '/api/integrations/hookvendor/inbound', w.a.admin)).json()).toEqual({ endpoint: null });
  });
});
