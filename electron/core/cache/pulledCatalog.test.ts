import { afterEach, describe, expect, it } from 'vitest';
import { catalogItemSchema } from '../../../shared/localApi.js';
import { integrationChange, syncroDetail, tempCache } from '../test/fixtures.js';
import { applyChange, getIntegration, listIntegrations } from './pulledCatalog.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('pulled catalog: what the cards need offline', () => {
  it('keeps the requirements and the logo of a pulled entry, so the catalog shows them without the server', async () => {
    const cache = await tempCache();
    cleanups.push(cache.cleanup);
    const logo = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
    const detail = { ...syncroDetail(), requirements: ['Token permission “Tickets - List/Search”'], logo };
    applyChange(cache.db, integrationChange(detail, 1));
    expect(getIntegration(cache.db, 'syncro')).toMatchObject({ requirements: ['Token permission “Tickets - List/Search”'], logo });
    expect(listIntegrations(cache.db)[0]).toMatchObject({ requirements: detail.requirements, logo });
  });

  it('reads a row cached before requirements and logos existed as none (initials) until the next pull', async () => {
    const cache = await tempCache();
    cleanups.push(cache.cleanup);
    const { requirements: _r, logo: _l, capabilities: _c, ...old } = syncroDetail();
    cache.db.prepare('INSERT INTO mirror_integrations (key, name, detail_json, sync_version) VALUES (?, ?, ?, ?)').run(old.key, old.name, JSON.stringify(old), 1);
    const [row] = listIntegrations(cache.db);
    const { fields: _f, settings: _s, ...summary } = row ?? syncroDetail();
    // The local API answers through this schema (router.ts), which fills what the old row lacks.
    expect(catalogItemSchema.parse({ ...summary, draft: null })).toMatchObject({ requirements: [], logo: null, capabilities: [] });
  });
});
