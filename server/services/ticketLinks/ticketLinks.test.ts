import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketLink } from '../../../shared/actions.js';
import { loopbackTickets } from '../../integrations/testing/actionPlugin.js';
import { createActionWorld, type ActionWorld } from '../../test/actionWorld.js';

let w: ActionWorld;
let client = 0;
const links = async () => (await w.request('GET', `/api/clients/${client}/ticket-links`, w.a.tech)).json().items as TicketLink[];

beforeAll(async () => {
  w = await createActionWorld();
  await w.configure(w.a.admin);
  client = await w.client(w.a.admin, 'Dataforth', ['org-1']);
});
afterAll(() => w.close());

describe('ticket links', () => {
  it('creates a link by hand from the ticket read at the vendor; technicians may not', async () => {
    const res = await w.request('POST', `/api/clients/${client}/ticket-links`, w.a.admin, { integrationKey: 'ticketdesk', ticketId: '102', linkType: 'resolves' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ clientId: client, integrationKey: 'ticketdesk', ticketId: '102', number: 'T-102', subject: 'New laptop', status: 'Resolved', linkType: 'resolves' });
    expect(w.desk.count('GET', '/tickets/102')).toBe(1);
    expect((await w.request('POST', `/api/clients/${client}/ticket-links`, w.a.tech, { integrationKey: 'ticketdesk', ticketId: '101' })).statusCode).toBe(403);
    expect((await links()).map((l) => l.ticketId)).toEqual(['102']);
  });

  it('refuses an unknown ticket (the vendor says 404) and an integration without tickets.get (409)', async () => {
    const missing = await w.request('POST', `/api/clients/${client}/ticket-links`, w.a.admin, { integrationKey: 'ticketdesk', ticketId: '999' });
    expect(missing.statusCode).toBe(502);
    expect(missing.json().error.message).toContain('Ticket not found');
    const none = await w.request('POST', `/api/clients/${client}/ticket-links`, w.a.admin, { integrationKey: 'testvendor', ticketId: '1' });
    expect(none.statusCode).toBe(409);
    expect((await w.request('GET', '/api/clients/999999/ticket-links', w.a.admin)).statusCode).toBe(404);
  });

  it('a comment run with linkTicket stores the link in the same transaction as its result', async () => {
    const res = await w.run(w.a.admin, 'ticketdesk.tickets.comment', { input: { clientId: client, ticketId: '101', body: 'Done' }, idempotencyKey: 'link-run-0001', linkTicket: 'documents' });
    expect(res.statusCode).toBe(200);
    const { rows } = await w.server.deps.db.pool.query('SELECT ticket_link_id FROM action_runs WHERE id = $1', [res.json().runId]);
    expect(rows[0].ticket_link_id).toBe(res.json().ticketLink.id);
    expect((await links()).map((l) => [l.ticketId, l.linkType])).toEqual([['101', 'documents'], ['102', 'resolves']]);
  });

  it('refreshes every link; one that fails stays as it was, is named, and the others refresh', async () => {
    const before = await links();
    // A link to a ticket the vendor no longer has (inserted as the vendor once had it).
    await w.server.deps.db.pool.query(
      `INSERT INTO ticket_links (partner_id, client_id, integration_key, ticket_id, number, subject, status, url, link_type) VALUES ($1, $2, 'ticketdesk', '404', 'T-404', 'Gone', 'Open', null, 'related')`,
      [w.a.id, client],
    );
    const ticket = loopbackTickets['101'] as { status: string };
    ticket.status = 'Resolved';
    try {
      const res = await w.request('POST', `/api/clients/${client}/ticket-links/refresh`, w.a.tech);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: TicketLink[]; failed: { ticketId: string; message: string }[] };
      expect(body.failed.map((f) => f.ticketId)).toEqual(['404']);
      expect(body.failed[0]?.message).toContain('Ticket not found');
      const byTicket = new Map(body.items.map((l) => [l.ticketId, l]));
      expect(byTicket.get('101')?.status).toBe('Resolved');
      expect(byTicket.get('404')?.status).toBe('Open');
      const old101 = before.find((l) => l.ticketId === '101') as TicketLink;
      expect(Date.parse(byTicket.get('101')?.refreshedAt as string)).toBeGreaterThan(Date.parse(old101.refreshedAt));
    } finally {
      ticket.status = 'Open';
    }
  });

  it('deletes (admin only) and the dev partner reads any partner read-only', async () => {
    const [first] = await links();
    const dev = await w.request('GET', `/api/dev/partners/${w.a.id}/clients/${client}/ticket-links`, w.dev.admin);
    expect(dev.statusCode).toBe(200);
    expect(dev.json().items.length).toBe((await links()).length);
    expect((await w.request('GET', `/api/dev/partners/${w.a.id}/clients/${client}/ticket-links`, w.a.admin)).statusCode).toBe(403);
    expect((await w.request('DELETE', `/api/ticket-links/${first?.id}`, w.a.tech)).statusCode).toBe(403);
    expect((await w.request('DELETE', `/api/ticket-links/${first?.id}`, w.b.admin)).statusCode).toBe(404);
    expect((await w.request('DELETE', `/api/ticket-links/${first?.id}`, w.a.admin)).statusCode).toBe(200);
    expect((await links()).map((l) => l.id)).not.toContain(first?.id);
  });
});
