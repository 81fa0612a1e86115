import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../electron/main/policy.js';
import { ConfigError, loadConfig } from '../config.js';
import { makePartner, makeUser } from '../test/factories.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { configuredLinks, createRegistry, RegistryError, shippedPlugins } from './registry.js';

describe('the MSP360 entry links to the MSPBackups page (MSPBACKUPS_PAGE_URL)', () => {
  let server: TestServer;
  const page = 'https://portal.example.com/backup/mspbackups';
  beforeAll(async () => {
    server = await createTestServer({ env: { MSPBACKUPS_PAGE_URL: page } });
  });
  afterAll(() => server.close());

  it('shows the configured link in the catalog, where the desktop may open it in the system browser', async () => {
    const partner = await makePartner(server.deps.db);
    const user = await makeUser(server.deps.db, partner.id, 'partner_user');
    const headers = { authorization: `Bearer ${await server.tokenFor(user)}` };
    const detail = (await server.app.inject({ url: '/api/integrations/msp360', headers })).json();
    expect(detail.links).toEqual([{ label: 'Open MSPBackups', url: page }]);
    const card = (await server.app.inject({ url: '/api/integrations', headers })).json().items.find((i: { key: string }) => i.key === 'msp360');
    expect(card.links).toEqual(detail.links);
    expect((await server.app.inject({ url: '/api/integrations/syncro', headers })).json().links).toEqual([]);
    // The desktop allows the origins of catalog links (electron/core: shell.externalOrigins).
    const origins = detail.links.map((l: { url: string }) => new URL(l.url).origin);
    expect(isAllowedExternalUrl(page, origins)).toBe(true);
    expect(isAllowedExternalUrl('https://evil.example/mspbackups', origins)).toBe(false);
  });

  it('defaults to the MSPBackups console, takes https only, and is checked like every catalog link', () => {
    expect(configuredLinks(loadConfig({}))).toEqual({ msp360: [{ label: 'Open MSPBackups', url: 'https://mspbackups.com' }] });
    for (const bad of ['http://portal.example.com/mspbackups', 'javascript:alert(1)', 'not a url']) {
      expect(() => loadConfig({ MSPBACKUPS_PAGE_URL: bad }), bad).toThrow(ConfigError);
    }
    expect(() => createRegistry(shippedPlugins, { links: { msp360: [{ label: 'x', url: 'ftp://files.example' }] } })).toThrow(RegistryError);
  });
});
