import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/clients.js';
import { startFakeSyncro, type FakeSyncro } from '../../../server/integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../../../server/integrations/syncro/index.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, type CoreHandle, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// The Actions tab's generic requests through the desktop core, over the real server, PostgreSQL
// and the Syncro fake (which counts the comments it accepted): composed offline, the request is
// sent by itself once when the server is back; an answer lost after the server ran it is resent
// under the same key and the stored result comes back, with still one comment at the vendor.
// Technicians run reads only; a refused input comes back with its field messages.

const token = 'core-requests-syncro-token';
let fake: FakeSyncro;
let plugin: SyncroPlugin;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
let clientId = 0;
let ticketId = '';
const cores = coresOf(() => server);

beforeAll(async () => {
  fake = await startFakeSyncro();
  fake.addTenant('acme', {
    tokens: [{ token }],
    customers: 3,
    tickets: 0,
    customerNames: { 1: 'Dataforth Corp' },
    ticketSpecs: [{ customerId: 1, subject: 'Printer offline', status: 'New' }],
  });
  plugin = createSyncroPlugin({ checkTimeoutMs: 3_000, http: { retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  server = await SyncServer.start([plugin], { SYNCRO_BASE_URL: fake.baseUrl });
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  const configured = await server.rest('POST', '/api/integrations/syncro/configure', admin, { settings: { subdomain: 'acme', api_token: token } });
  expect(configured.status, JSON.stringify(configured.json())).toBe(201);
  clientId = ((await server.rest('POST', '/api/clients', admin, { name: 'Dataforth Corp.' })).json() as Client).id;
  const mapped = await server.rest('POST', '/api/integrations/syncro/mappings', admin, { clientId, externalOrgId: '1', externalOrgName: 'Dataforth Corp' });
  expect(mapped.status, JSON.stringify(mapped.json())).toBe(201);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await plugin?.close();
  await fake?.close();
});

const comments = () => fake.writeCount({ route: 'comment', tenant: 'acme' });

async function signedIn(user: SyncUser, options: { dir?: string; fetch?: typeof fetch } = {}): Promise<CoreHandle> {
  const h = await cores.signedIn(user, { dir: options.dir, extra: options.fetch ? { fetch: options.fetch } : {} });
  // The listing the core describes actions from (cached: offline it is the last one read).
  await h.core.services.actions.list({ key: 'syncro' });
  if (!ticketId) {
    const found = await h.core.services.actions.runRead({ actionId: 'syncro.tickets.find', input: { clientId } });
    ticketId = (found.output as { tickets: { id: string }[] }).tickets[0]?.id ?? '';
    expect(ticketId).toMatch(/^\d+$/);
  }
  return h;
}

describe('action requests in the desktop core', () => {
  it('composed offline, a request stays on this computer and is sent once when the server is back', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.actionRequests;
    const start = comments();
    await server.down();
    await waitFor(() => h.core.services.sync.status().connection === 'offline' || undefined, 10_000).catch(() => undefined);

    const request = await api.compose({ actionId: 'syncro.tickets.comment', input: { ticketId, body: 'Replaced the toner.', hidden: true } });
    expect(request).toMatchObject({ state: 'draft', integrationKey: 'syncro', label: 'Comment on a Syncro ticket' });
    const queued = await api.run(request.id);
    expect(queued).toMatchObject({ state: 'queued', key: request.key });
    expect(api.list({}).map((r) => r.id)).toContain(request.id);
    expect(h.core.services.sync.status().pendingDrafts).toBeGreaterThanOrEqual(1);
    // Reads need the server.
    await expect(h.core.services.actions.runRead({ actionId: 'syncro.tickets.get', input: { ticketId } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(comments()).toBe(start);

    await server.up();
    await h.core.services.sync.now();
    await waitFor(() => api.get(request.id).state === 'sent' || undefined, 15_000);
    const sent = api.get(request.id);
    expect(sent).toMatchObject({ key: request.key, result: { status: 'succeeded', replayed: false, output: { comment: { body: 'Replaced the toner.', hidden: true } } } });
    expect(comments()).toBe(start + 1);
    await h.core.services.sync.now();
    expect(comments()).toBe(start + 1);
    expect(api.list({})).toEqual([]);
    expect(api.list({ integrationKey: 'syncro' }).map((r) => r.id)).toContain(request.id);
  });

  it('an answer lost after the server ran it is resent under the same key: the stored result, one comment', async () => {
    let lost = 0;
    // Every answer to the comment's run is dropped (the server ran it), until the app restarts.
    const losing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).includes('/trpc/actions.run') && String(init?.body).includes('syncro.tickets.comment')) {
        lost += 1;
        await response.text();
        throw new TypeError('fetch failed: connection reset');
      }
      return response;
    };
    const first = await signedIn(admin, { fetch: losing });
    const start = comments();
    const request = await first.core.services.actionRequests.compose({ actionId: 'syncro.tickets.comment', input: { ticketId, body: 'Rebooted the print server.' } });
    const answer = await first.core.services.actionRequests.run(request.id);
    expect(answer.state).toBe('queued');
    expect(answer.attempts).toBeGreaterThanOrEqual(1);
    expect(lost).toBeGreaterThanOrEqual(1);
    expect(comments()).toBe(start + 1);
    // Not discardable while its outcome is unknown: it may have reached Syncro (it did).
    expect(() => first.core.services.actionRequests.discard(request.id)).toThrow(/reaching the vendor/);

    await first.close();
    cores.release(first);
    const again = await signedIn(admin, { dir: first.dir });
    await again.core.services.sync.now();
    await waitFor(() => again.core.services.actionRequests.get(request.id).state === 'sent' || undefined, 15_000);
    expect(again.core.services.actionRequests.get(request.id)).toMatchObject({ key: request.key, result: { status: 'succeeded', replayed: true } });
    expect(comments()).toBe(start + 1);
  });

  it('a refused input comes back with its field messages; an edit is a new key', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.actionRequests;
    const request = await api.compose({ actionId: 'syncro.tickets.comment', input: { ticketId: 'not-a-number', body: 'x' } });
    const refused = await api.run(request.id);
    expect(refused.state).toBe('failed');
    expect(refused.fields?.ticketId?.[0]).toMatch(/number Syncro gives/);
    const edited = await api.compose({ id: request.id, actionId: 'syncro.tickets.comment', input: { ticketId, body: 'x' } });
    expect(edited.key).not.toBe(request.key);
    expect((await api.run(request.id)).state).toBe('sent');
  });

  it('technicians run reads but no side-effectful action; reads are not requests', async () => {
    const h = await signedIn(tech);
    const read = await h.core.services.actions.runRead({ actionId: 'syncro.tickets.get', input: { ticketId } });
    expect(read.output).toMatchObject({ ticket: { id: ticketId } });
    await expect(h.core.services.actionRequests.compose({ actionId: 'syncro.tickets.comment', input: { ticketId, body: 'no' } })).rejects.toThrow(/partner admins/i);
    const admin_ = await signedIn(admin);
    await expect(admin_.core.services.actionRequests.compose({ actionId: 'syncro.tickets.get', input: { ticketId } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('the platform operator runs nothing, reads included', async () => {
    const operator = await server.user((await server.partner({ name: 'Operator', isDev: true })).id);
    const h = await cores.open();
    await h.core.services.session.login({ email: operator.email, password: operator.password });
    const start = comments();
    await expect(h.core.services.actionRequests.compose({ actionId: 'syncro.tickets.comment', input: { ticketId, body: 'no' } })).rejects.toThrow(/platform operator/);
    await expect(h.core.services.actions.runRead({ actionId: 'syncro.tickets.get', input: { ticketId } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(comments()).toBe(start);
  });
});
