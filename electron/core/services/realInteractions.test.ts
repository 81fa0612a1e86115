import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coresOf } from '../test/cores.js';
import { SyncServer, type SyncUser } from '../test/syncHarness.js';

// The Activity tab's path over the real server and PostgreSQL: the local API's `interactions`
// reads the partner's interaction log live (filters, detail), the dev partner viewing another
// partner reads that one's through the dev routes, and offline it says it needs a connection.

let server: SyncServer;
let admin: SyncUser;
let ops: SyncUser;
let otherAdmin: SyncUser;
const cores = coresOf(() => server);

/** A row as the vendor client's writer would leave it (the writer itself is tested on the server). */
async function logRow(partnerId: number, row: { actionId: string; outcome: string; path: string; at: string; response?: unknown }) {
  const { rows } = await server.deps.db.pool.query(
    `INSERT INTO interaction_log (partner_id, integration_key, action_id, kind, method, path, host, status, duration_ms, outcome, response_body, at)
     VALUES ($1, 'testvendor', $2, $3, 'GET', $4, 'vendor.example', $5, 12, $6, $7, $8) RETURNING id`,
    [partnerId, row.actionId, row.actionId === 'health' ? 'health' : 'action', row.path, row.outcome === 'ok' ? 200 : 500, row.outcome, JSON.stringify(row.response ?? null), row.at],
  );
  return Number(rows[0].id);
}

beforeAll(async () => {
  server = await SyncServer.start();
  const partner = await server.partner();
  const other = await server.partner({ name: 'Other' });
  admin = await server.user(partner.id);
  otherAdmin = await server.user(other.id);
  ops = await server.user((await server.partner({ name: 'Platform', isDev: true })).id);
  await logRow(partner.id, { actionId: 'health', outcome: 'ok', path: '/me', at: '2026-12-01T10:00:00Z', response: { name: 'Acme', api_key: '[redacted]' } });
  await logRow(partner.id, { actionId: 'health', outcome: 'vendor_error', path: '/tickets', at: '2026-12-01T11:00:00Z' });
  await logRow(other.id, { actionId: 'health', outcome: 'ok', path: '/other-partner-only', at: '2026-12-01T12:00:00Z' });
});
afterAll(() => server.close());

const signedIn = (user: SyncUser) => cores.signedIn(user);

describe('interactions through the local API', () => {
  it('lists the own partner\'s calls newest first, filters them, opens one, and needs a connection', async () => {
    const api = (await signedIn(admin)).core.services;
    const page = await api.interactions.list({ key: 'testvendor' });
    expect(page.items.map((i) => i.path)).toEqual(['/tickets', '/me']);
    expect(page.items[1]).toMatchObject({ actionId: 'health', outcome: 'ok', user: 'System', status: 200 });
    const failed = await api.interactions.list({ key: 'testvendor', outcome: 'vendor_error' });
    expect(failed.items.map((i) => i.path)).toEqual(['/tickets']);
    const older = await api.interactions.list({ key: 'testvendor', to: '2026-12-01T10:30:00Z' });
    expect(older.items.map((i) => i.path)).toEqual(['/me']);
    const detail = await api.interactions.get(page.items[1]?.id ?? 0);
    expect(detail.responseBody).toEqual({ name: 'Acme', api_key: '[redacted]' });

    await server.down();
    await expect(api.interactions.list({ key: 'testvendor' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('never shows another partner\'s calls to a partner, and lets the dev partner read a partner it views', async () => {
    const mine = (await signedIn(otherAdmin)).core.services;
    expect((await mine.interactions.list({ key: 'testvendor' })).items.map((i) => i.path)).toEqual(['/other-partner-only']);

    const h = await signedIn(ops);
    expect((await h.core.services.interactions.list({ key: 'testvendor' })).items).toEqual([]);
    await h.core.services.session.switchPartner(admin.partnerId);
    const viewed = await h.core.services.interactions.list({ key: 'testvendor' });
    expect(viewed.items.map((i) => i.path)).toEqual(['/tickets', '/me']);
    expect((await h.core.services.interactions.get(viewed.items[0]?.id ?? 0)).path).toBe('/tickets');
  });
});
