import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../cli/commands/seedDemo.js';
import { suggestMappings } from '../services/clients/suggest.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { demoClientWorlds } from './demoClients.js';
import { seedDemoClients } from './seedDemoClients.js';

describe('the demo clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(() => server.close());

  it('gives each demo MSP 25 clients once, and leaves them alone on every later run', async () => {
    const seed = await seedDemo(server.deps.db);
    expect(await seedDemoClients(server.deps.db, seed)).toEqual([
      { partner: 'Northwind MSP', clients: 25, created: 25 },
      { partner: 'Contoso Managed IT', clients: 25, created: 25 },
    ]);
    // A change made in the UI (here: an archive) survives a restart's seed.
    const northwind = seed.partners.find((p) => p.name === 'Northwind MSP')?.id;
    await server.deps.db.pool.query(`UPDATE clients SET archived = true WHERE partner_id = $1 AND name = 'Summit Roofing'`, [northwind]);
    expect(await seedDemoClients(server.deps.db, seed)).toEqual([
      { partner: 'Northwind MSP', clients: 25, created: 0 },
      { partner: 'Contoso Managed IT', clients: 25, created: 0 },
    ]);
    const { rows } = await server.deps.db.pool.query(
      `SELECT count(*)::int AS clients, count(*) FILTER (WHERE archived)::int AS archived,
              (SELECT count(*)::int FROM client_audit_logs a WHERE a.partner_id = c.partner_id AND action = 'client_created') AS audited
         FROM clients c WHERE partner_id = $1 GROUP BY partner_id`,
      [northwind],
    );
    expect(rows).toEqual([{ clients: 25, archived: 1, audited: 25 }]);
  });

  it('names clients so that some match a vendor exactly, some loosely and some not at all', () => {
    for (const world of Object.values(demoClientWorlds)) {
      expect(world.clients).toHaveLength(25);
      const clients = world.clients.map((name, i) => ({ id: i + 1, name }));
      const organizations = Object.entries(world.syncro).map(([id, name]) => ({ id, name }));
      const out = suggestMappings({ clients, organizations, mappings: [] });
      const exact = clients.filter((c) => organizations.some((o) => o.name === c.name));
      const preselected = out.filter((s) => s.kind === 'preselect').map((s) => s.clientId);
      const reviewed = out.filter((s) => s.kind === 'review').map((s) => s.clientId);
      const unmatched = clients.filter((c) => !out.some((s) => s.clientId === c.id));
      // Exact names are preselected; some loose ones are too (equal once normalised), others are
      // for review; and a good part of the list has no organization at Syncro at all.
      expect(exact.every((c) => preselected.includes(c.id))).toBe(true);
      expect(preselected.length).toBeGreaterThan(exact.length);
      expect(exact.length).toBeGreaterThanOrEqual(5);
      expect(unmatched.length).toBeGreaterThanOrEqual(9);
      if (world === demoClientWorlds.northwind) expect(reviewed.length).toBeGreaterThanOrEqual(3);
    }
  });
});
