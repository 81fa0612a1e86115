import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';

describe('concurrent edits', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());

  const reconfigure = (body: unknown) => w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, body);

  it('lets exactly one of two edits from the same baseVersion win; the other gets 409 with the winner', async () => {
    const created = await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    let version = created.json().state.version as number;
    for (let round = 0; round < 10; round++) {
      const [first, second] = await Promise.all([
        reconfigure({ settings: validSettings({ subdomain: `first-${round}` }), baseVersion: version }),
        reconfigure({ settings: validSettings({ subdomain: `second-${round}` }), baseVersion: version }),
      ]);
      const statuses = [first.statusCode, second.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const winner = (first.statusCode === 200 ? first : second).json();
      const loser = (first.statusCode === 409 ? first : second).json();
      expect(winner.state.version).toBe(version + 1);
      expect(loser.error.details).toEqual(winner);
      version = winner.state.version;
    }
    const audit = (await w.request('GET', '/api/integrations/testvendor/audit?action=reconfigured&limit=100', w.a.admin)).json();
    expect(audit.items).toHaveLength(10); // one audit row per applied edit, none for refused ones
  });

  it('applies both of two edits without baseVersion, one after the other', async () => {
    const before = (await w.request('GET', '/api/integrations/testvendor', w.a.admin)).json().state.version as number;
    const results = await Promise.all([1, 2, 3].map((n) => reconfigure({ settings: validSettings({ subdomain: `free-${n}` }) })));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect((await w.request('GET', '/api/integrations/testvendor', w.a.admin)).json().state.version).toBe(before + 3);
  });

  it('creates one configuration from two simultaneous configures', async () => {
    const both = await Promise.all(
      [1, 2].map(() => w.request('POST', '/api/integrations/otherbackup/configure', w.a.admin, { settings: { login: 'x', password: 'pw-123456' } })),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const { rows } = await w.server.deps.db.pool.query(`SELECT 1 FROM integration_configurations WHERE integration_key = 'otherbackup'`);
    expect(rows).toHaveLength(1);
  });
});
