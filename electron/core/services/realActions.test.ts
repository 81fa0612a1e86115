import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/clients.js';
import type { SyncroTicketSummary } from '../../../shared/actions/syncro.js';
import { startFakeSyncro, type FakeSyncro } from '../../../server/integrations/syncro/fakeServer.js';
import { createSyncroPlugin, type SyncroPlugin } from '../../../server/integrations/syncro/index.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, type CoreHandle, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// Ticket updates through the desktop core, over the real server, PostgreSQL and the Syncro fake
// (which counts the comments it accepted): posted online once; queued offline and posted once
// on reconnect; an answer lost after the server ran it (a crash, a cut) resent after a restart
// under the same key, and the fake still holds one comment. Technicians read only.

const token = 'core-actions-syncro-token';
let fake: FakeSyncro;
let plugin: SyncroPlugin;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
let clientId = 0;
const cores = coresOf(() => server);

beforeAll(async () => {
  fake = await startFakeSyncro();
  fake.addTenant('acme', {
    tokens: [{ token }],
    customers: 3,
    tickets: 0,
    customerNames: { 1: 'Dataforth Corp' },
    ticketSpecs: [{ customerId: 1, subject: 'Nightly backup failing', status: 'In Progress' }],
  });
  plugin = createSyncroPlugin({ checkTimeoutMs: 3_000, http: { retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
  server = await SyncServer.start([plugin], { SYNCRO_BASE_URL: fake.baseUrl });
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  const configured = await server.rest('POST', '/api/integrations/syncro/configure', admin, { settings: { subdomain: 'acme', api_token: token } });
  expect(configured.status, JSON.stringify(configured.json())).toBe(201);
  const client = await server.rest('POST', '/api/clients', admin, { name: 'Dataforth Corp.' });
  clientId = (client.json() as Client).id;
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
  // The client list the compose step names the client from.
  await h.core.services.mappings.clients();
  return h;
}

async function backupTicket(h: CoreHandle): Promise<SyncroTicketSummary> {
  const found = await h.core.services.actions.tickets({ clientId, query: 'backup' });
  const ticket = found.tickets.find((t) => t.subject === 'Nightly backup failing');
  if (!ticket) throw new Error(`no backup ticket in ${JSON.stringify(found)}`);
  return ticket;
}

const composeFor = (ticket: SyncroTicketSummary, body: string) => ({
  clientId,
  ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject, status: ticket.status, url: ticket.url },
  comment: { body, hidden: true },
});

describe('ticket updates in the desktop core', () => {
  it('posts online once with the ticket link; queued offline, it is posted once when the server is back', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.actions;
    const ticket = await backupTicket(h);
    const start = comments();

    const intent = api.compose(composeFor(ticket, 'Reset the backup service password.'));
    const posted = await api.post(intent.id);
    expect(posted.intent).toMatchObject({ state: 'sent', steps: [{ kind: 'comment', state: 'sent', idempotencyKey: `${intent.key}:comment` }] });
    expect(posted.intent.steps[0]?.vendorId).toMatch(/^\d+$/);
    expect(posted.intent.ticketLink).toMatchObject({ clientId, ticketId: ticket.id, linkType: 'documents' });
    expect(comments()).toBe(start + 1);
    expect((await h.core.services.ticketLinks.list(clientId)).items.map((l) => [l.ticketId, l.linkType])).toEqual([[ticket.id, 'documents']]);
    // Refresh re-reads the links at Syncro; the list still holds the one link afterwards.
    expect((await h.core.services.ticketLinks.refresh(clientId)).items.map((l) => [l.ticketId, l.linkType])).toEqual([[ticket.id, 'documents']]);

    await server.down();
    await waitFor(() => h.core.services.sync.status().connection === 'offline' || undefined, 10_000).catch(() => undefined);
    // Offline the ticket comes from the last answer to the same search.
    const cached = await api.tickets({ clientId, query: 'backup' });
    expect(cached.fromCache).toBe(true);
    const offline = api.compose(composeFor(ticket, 'Checked again after the overnight run.'));
    const queued = await api.post(offline.id);
    expect(queued.intent.state).toBe('queued');
    expect(api.intents({}).map((i) => i.id)).toContain(offline.id);
    expect(comments()).toBe(start + 1);

    await server.up();
    await h.core.services.sync.now();
    await waitFor(() => api.intent(offline.id).state === 'sent' || undefined, 15_000);
    expect(comments()).toBe(start + 2);
    await h.core.services.sync.now();
    expect(comments()).toBe(start + 2);
  });

  it('an answer lost after the server ran it is resent after a restart under the same key: one comment', async () => {
    let lost = 0;
    // The network drops every answer to the comment: the server runs it, this core never hears
    // (its own resends included), until it quits as after a crash.
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
    const ticket = await backupTicket(first);
    const start = comments();
    const intent = first.core.services.actions.compose(composeFor(ticket, 'Re-ran the plan; it succeeded.'));
    const answer = await first.core.services.actions.post(intent.id);
    expect(answer.intent).toMatchObject({ state: 'queued', steps: [{ state: 'pending' }] });
    expect(lost).toBeGreaterThanOrEqual(1);
    expect(comments()).toBe(start + 1);

    // Quit (as a crash would leave it: queued in SQLite) and start again on the same data dir.
    await first.close();
    cores.release(first);
    const again = await signedIn(admin, { dir: first.dir });
    await again.core.services.sync.now();
    await waitFor(() => again.core.services.actions.intent(intent.id).state === 'sent' || undefined, 15_000);
    const sent = again.core.services.actions.intent(intent.id);
    expect(sent.steps[0]).toMatchObject({ idempotencyKey: `${intent.key}:comment`, state: 'sent' });
    expect(sent.steps[0]?.attempts).toBeGreaterThanOrEqual(2);
    expect(comments()).toBe(start + 1);
  });

  it('review mode: Post keeps the update for Pending changes, and Apply posts it once', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.actions;
    const ticket = await backupTicket(h);
    h.core.services.sync.setReviewMode(true);
    const start = comments();
    const intent = api.compose(composeFor(ticket, 'Waiting for a review first.'));
    const held = await api.post(intent.id);
    expect(held).toMatchObject({ review: true, intent: { state: 'reviewed' } });
    expect(api.intents({}).map((i) => [i.id, i.state])).toContainEqual([intent.id, 'reviewed']);
    expect(comments()).toBe(start);
    expect((await api.apply(intent.id)).state).toBe('sent');
    expect(comments()).toBe(start + 1);
    expect(() => api.discard(intent.id)).toThrow(/posted already/);
  });

  it('technicians find tickets and read links, but cannot compose or post', async () => {
    const h = await signedIn(tech);
    const ticket = await backupTicket(h);
    expect((await h.core.services.ticketLinks.list(clientId)).items.map((l) => l.ticketId)).toContain(ticket.id);
    await expect(h.core.services.ticketLinks.remove({ clientId, id: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(() => h.core.services.actions.compose(composeFor(ticket, 'Not allowed'))).toThrow(/partner admins/i);
  });
});
