import type { DiscoveryRun } from '../shared/integrations/discovery.js';
import { huntressRateLimit } from '../server/integrations/huntress/client.js';
import { startFakeHuntress } from '../server/integrations/huntress/fakeServer.js';
import { createHuntressPlugin } from '../server/integrations/huntress/index.js';
import { pluginContext } from '../server/integrations/test/pluginContext.js';
import { createLogger } from '../server/logger.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';

/**
 * Huntress discovery of 1,200 organizations at `limit=500` through the real server (start
 * request, the pg-boss job, the plugin on its per-key sliding window, the snapshot swap), against
 * the fake, which enforces Huntress's own limit: 60 requests in any 60 s per account, the 61st
 * refused with 429 (vendor-apis.md §5). Two accounts, two keys, so two windows:
 * - quiet: the window is empty; 3 pages: the limit does not bind;
 * - busy: the window is held almost full (59 reads through the same plugin just before); the
 *   first page fits, the other two must wait until the first of those reads leaves the window. The wait shown is the limiter's, not a 429's: the bench
 *   fails if the fake refused anything.
 * Beside each, the minimum Huntress's window allows and the minimum our limiter's window allows
 * (two seconds longer, client.ts says why), both from when the busy window started filling.
 */
const organizations = 1_200;
const vendorWindowS = 60;
const ourWindowS = (huntressRateLimit.slidingWindowMs ?? 60_000) / 1000;
const prefill = 59;

export const huntressBench: Benchmark = {
  name: 'huntress',
  async run() {
    const fake = await startFakeHuntress();
    const accounts = { quiet: { key: 'bench-quiet-key', secret: 'bench-quiet-secret' }, busy: { key: 'bench-busy-key', secret: 'bench-busy-secret' } };
    for (const [name, k] of Object.entries(accounts)) fake.addAccount(name, { name: `Bench ${name}`, organizations, agents: 3, keys: [{ key: k.key, secret: k.secret }] });
    const plugin = createHuntressPlugin();
    const env = { HUNTRESS_BASE_URL: fake.baseUrl };
    const busySettings = { subdomain: 'busy', api_key: accounts.busy.key, api_secret: accounts.busy.secret, key_type: 'account' };
    // The busy window fills first, through the same plugin (so its limiter counts them), and ages
    // while the server starts: 59 reads, so discovery's first page is the 60th request in the window.
    const fillStarted = performance.now();
    const agentsGet = plugin.actions?.find((a) => a.id === 'huntress.agents.get');
    if (!agentsGet) throw new Error('no huntress.agents.get');
    const ctx = { ...pluginContext({ settings: busySettings, log: createLogger({ level: 'warn' }), env }), userId: 1, mappedOrganizations: () => Promise.resolve([]), publishFile: () => Promise.reject(new Error('not used')) };
    await Promise.all(Array.from({ length: prefill }, () => agentsGet.run(ctx, { agentId: '1' })));
    const server = await startBenchServer({ plugins: [plugin], env });
    try {
      const { db, tokens } = server.runtime.deps;
      const partner = async (name: keyof typeof accounts) => {
        const made = await makePartner(db, { name: `Bench Huntress ${name}` });
        const admin = await makeUser(db, made.id, 'partner_admin');
        const auth = `Bearer ${(await tokens.sign({ userId: admin.id, partnerId: made.id, role: 'partner_admin' })).token}`;
        const call = async (method: string, path: string, body?: unknown) => {
          const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
          if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
          return res.json() as Promise<unknown>;
        };
        const settings = { subdomain: name, api_key: accounts[name].key, api_secret: accounts[name].secret, key_type: 'account' };
        return { call, settings };
      };
      const discover = async (p: Awaited<ReturnType<typeof partner>>) => {
        const started = performance.now();
        await p.call('POST', '/api/integrations/huntress/discovery');
        let run: DiscoveryRun;
        for (;;) {
          run = ((await p.call('GET', '/api/integrations/huntress/discovery')) as { run: DiscoveryRun }).run;
          if (run.status === 'succeeded' || run.status === 'failed') break;
          await new Promise((r) => setTimeout(r, 50));
        }
        if (run.status !== 'succeeded') throw new Error(`discovery failed: ${run.error}`);
        return { run, startedAt: started, wallS: (performance.now() - started) / 1000 };
      };

      const busy = await partner('busy');
      await busy.call('POST', '/api/integrations/huntress/configure', { settings: busy.settings });
      const heldBeforeDiscovery = fake.requestCount({ tenant: 'busy' });

      const quiet = await partner('quiet');
      await quiet.call('POST', '/api/integrations/huntress/configure', { settings: quiet.settings });
      const quietHeld = fake.requestCount({ tenant: 'quiet' });
      const quietRun = await discover(quiet);
      const busyRun = await discover(busy);

      const since = (startedAt: number) => (startedAt - fillStarted) / 1000;
      const row = (scenario: string, tenant: keyof typeof accounts, r: Awaited<ReturnType<typeof discover>>, minVendorS: number, minOursS: number) => ({
        scenario,
        organizations: r.run.counts?.organizations,
        pages: r.run.pagesDone,
        organizationRequests: fake.requestCount({ tenant, path: '/v1/organizations' }),
        requestsAtHuntress: fake.requestCount({ tenant }),
        wallS: Number(r.wallS.toFixed(2)),
        minByVendorLimitS: Number(Math.max(0, minVendorS).toFixed(2)),
        minByOurLimiterS: Number(Math.max(0, minOursS).toFixed(2)),
        received429: fake.rateLimitedCount(tenant),
      });
      const rows = [
        row(`quiet window: ${quietHeld} held, then 3 pages`, 'quiet', quietRun, 0, 0),
        // Pages 2 and 3 are the 61st and 62nd requests: each waits for one of the first ones to leave the window.
        row(`busy window: ${heldBeforeDiscovery} held, then 3 pages`, 'busy', busyRun, vendorWindowS - since(busyRun.startedAt), ourWindowS - since(busyRun.startedAt)),
      ];
      const received = fake.rateLimitedCount();
      if (received > 0) throw new Error(`Huntress answered 429 ${received} times: the limiter let the product exceed 60 in a minute`);
      return {
        rows,
        figures: {
          note: `1,200 organizations at 500 a page are 3 requests: Huntress's 60 in any 60 s only binds when the key's window is already nearly full; then the limiter waits (our window is ${ourWindowS} s, Huntress's ${vendorWindowS} s) and no 429 is received.`,
          no429: received === 0,
          quiet: rows[0],
          busy: rows[1],
        },
      };
    } finally {
      await server.stop();
      await plugin.close();
      await fake.close();
    }
  },
};
