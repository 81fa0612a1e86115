import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../cli/commands/seedDemo.js';
import { seedDemoVendors, startFakeVendors, type FakeVendors } from '../integrations/fakeVendors.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { seedDemoIntegrations } from './seedDemoIntegrations.js';

describe('the npm start demo', () => {
  let fakes: FakeVendors;
  let server: TestServer;
  beforeAll(async () => {
    fakes = await startFakeVendors();
    server = await createTestServer({ env: fakes.env });
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
  });

  it('shows an Active Syncro and an MSP360 in Error that the admin can fix through the API', async () => {
    const vendorSeed = seedDemoVendors(fakes);
    const seed = await seedDemo(server.deps.db);
    const shown = await seedDemoIntegrations(server.deps, seed, vendorSeed);
    expect(shown).toContainEqual({ partner: 'Northwind MSP', key: 'syncro', status: 'Active', message: null });
    expect(shown).toContainEqual({ partner: 'Northwind MSP', key: 'msp360', status: 'Error', message: 'MSP360 rejected the API login or password' });
    // Issue 17: each new vendor in a different state for the two partners.
    expect(shown).toContainEqual({ partner: 'Northwind MSP', key: 'huntress', status: 'Active', message: null });
    expect(shown).toContainEqual(expect.objectContaining({ partner: 'Contoso Managed IT', key: 'huntress', status: 'Active', message: expect.stringContaining('Incident Reports') }));
    expect(shown).toContainEqual({ partner: 'Northwind MSP', key: 'tacticalrmm', status: 'Active', message: null });
    expect(shown).toContainEqual({ partner: 'Contoso Managed IT', key: 'tacticalrmm', status: 'Error', message: expect.stringMatching(/^This is the dashboard address, not the API address/) });
    expect(shown).toContainEqual({ partner: 'Northwind MSP', key: 'levelio', status: 'Error', message: expect.stringContaining('Access denied') });
    expect(shown).toContainEqual({ partner: 'Contoso Managed IT', key: 'levelio', status: 'Active', message: null });

    const admin = seed.users.find((u) => u.email === 'admin@northwind.example');
    const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin?.email, password: admin?.password } });
    const auth = { authorization: `Bearer ${login.json().token}` };
    const detail = (await server.app.inject({ url: '/api/integrations/msp360', headers: auth })).json();
    expect(detail.settings.api_password).toMatchObject({ isSet: true });

    const { fix } = vendorSeed;
    const saved = await server.app.inject({
      method: 'POST',
      url: `/api/integrations/${fix.integration}/reconfigure`,
      headers: auth,
      payload: { settings: { api_login: detail.settings.api_login, [fix.field]: fix.value }, baseVersion: detail.state.version },
    });
    expect(saved.statusCode).toBe(200);
    const tested = await server.app.inject({ method: 'POST', url: `/api/integrations/${fix.integration}/test`, headers: auth, payload: {} });
    expect(tested.json().detail.state.status).toBe('Active');

    // A restart seeds again without undoing the fix.
    const again = await seedDemoIntegrations(server.deps, seed, seedDemoVendors(fakes));
    expect(again).toContainEqual({ partner: 'Northwind MSP', key: 'msp360', status: 'Active', message: null });
  });
});
