import { startFakeMicrosoft365 } from '../server/integrations/microsoft365/fakeServer.js';
import { seedM365Partner } from '../server/integrations/microsoft365/fakeSeed.js';
import { createMicrosoft365Plugin } from '../server/integrations/microsoft365/index.js';
import type { PluginContext } from '../server/integrations/types.js';
import { oauthFor, pluginConfig } from '../server/services/integrations/pluginConfig.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';

/**
 * Issue 26's figures, on the real server's stored token source (one oauth_connections row and
 * lock per tenant) against the Microsoft 365 fake, with the plugin's shipped rate limit:
 * - discovery of 1,000 customer tenants in pages of 300, from GDAP relationships (every page in
 *   one call) and from Partner Center (one page per call, continuation token): wall time, calls;
 * - the health sweep of one partner with 500 mapped tenants, run twice: cold (a token per tenant)
 *   and within the token lifetime (no new token). The fake throttles each tenant above 5 Graph
 *   requests a second, as Graph's per-tenant limits would: the 429s the sweep earns are counted.
 */
const discoveryTenants = 1_000;
const sweepTenants = 500;

export const microsoft365Bench: Benchmark = {
  name: 'microsoft365',
  async run() {
    const fake = await startFakeMicrosoft365();
    const plugin = createMicrosoft365Plugin({ checkTimeoutMs: 120_000, discoveryTimeoutMs: 120_000 });
    const server = await startBenchServer({ plugins: [plugin], env: { VENDOR_EMULATORS: 'true', MICROSOFT365_EMULATOR_URL: fake.origin } });
    const deps = server.runtime.deps;
    const rows: Record<string, unknown>[] = [];
    const figures: Record<string, unknown> = {};
    try {
      const integration = deps.registry.get('microsoft365');
      if (!integration) throw new Error('no microsoft365');
      const partner = await makePartner(deps.db, { name: 'Bench Microsoft 365' });
      const admin = await makeUser(deps.db, partner.id, 'partner_admin');
      const auth = `Bearer ${(await deps.tokens.sign({ userId: admin.id, partnerId: partner.id, role: 'partner_admin' })).token}`;
      const configure = async (settings: Record<string, string>) => {
        const res = await fetch(`${server.url}/api/integrations/microsoft365/configure`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ settings }) });
        if (res.status !== 201) throw new Error(`configure: ${res.status} ${await res.text()}`);
      };
      const context = (settings: Record<string, string>, mapped: string[] = []): PluginContext => ({
        partnerId: partner.id,
        settings,
        config: pluginConfig(deps.config),
        log: deps.log,
        signal: AbortSignal.timeout(300_000),
        ...oauthFor(deps, integration, partner.id, settings),
        allMappedOrganizations: async () => mapped.map((id) => ({ id, name: id, clientId: 1, missingAtVendor: false })),
      });

      // Discovery: 1,000 tenants, pages of 300.
      const seeded = seedM365Partner(fake, { prefix: 0xb00, tenants: discoveryTenants });
      // Stored once; each run's context carries its own discovery source (the token rows follow the grant).
      await configure(seeded.settings);
      for (const discovery of ['gdap', 'partner_center'] as const) {
        const settings = { ...seeded.settings, discovery };
        fake.resetCounts();
        const ctx = context(settings);
        const started = performance.now();
        let cursor: string | null = null;
        let found = 0;
        do {
          const page = await plugin.listOrganizations!(ctx, cursor);
          found += page.items.length;
          cursor = page.nextCursor;
        } while (cursor);
        const row = { figure: `discovery ${discovery}`, tenants: found, wallMs: Math.round(performance.now() - started), calls: fake.requestCount(), tokenRequests: fake.tokenRequests(), throttled: fake.throttled() };
        rows.push(row);
        figures[`discovery_${discovery}`] = row;
        if (found !== discoveryTenants) throw new Error(`discovered ${found} of ${discoveryTenants}`);
      }

      // Health sweep: 500 mapped tenants, cold then warm.
      const mapped = seeded.tenants.slice(0, sweepTenants).map((t) => t.id);
      fake.setTenantRequestsPerSecond(5, 1);
      for (const round of ['cold', 'warm'] as const) {
        fake.resetCounts();
        const before = fake.throttled();
        const started = performance.now();
        const health = await plugin.healthCheck(context({ ...seeded.settings, discovery: 'gdap' }, mapped));
        const row = {
          figure: `health sweep ${round}`,
          tenants: sweepTenants,
          health: health.status,
          wallMs: Math.round(performance.now() - started),
          calls: fake.requestCount(),
          tokenRequests: fake.tokenRequests(),
          throttled: fake.throttled() - before,
        };
        rows.push(row);
        figures[`healthSweep_${round}`] = row;
        if (health.status !== 'ok') throw new Error(`sweep ${round}: ${health.status} ${health.message ?? ''}`);
      }
    } finally {
      await server.stop();
      await plugin.close();
      await fake.close();
    }
    return { rows, figures };
  },
};
