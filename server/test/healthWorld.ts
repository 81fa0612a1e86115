import type { AppDeps } from '../deps.js';
import { createDb, type Db } from '../db/pool.js';
import { createRegistry } from '../integrations/registry.js';
import { createSyncroPlugin, type SyncroPlugin } from '../integrations/syncro/index.js';
import { startFakeSyncro, type FakeSyncro } from '../integrations/syncro/fakeServer.js';
import { systemActor } from '../services/integrations/actor.js';
import { configureIntegration } from '../services/integrations/mutations.js';
import { createHealthScheduler, type HealthScheduler, type HealthSchedulerOptions } from '../services/health/scheduler.js';
import { makePartner } from './factories.js';
import { createTestServer, type TestServer } from './harness.js';

/**
 * A test server whose registry holds the real Syncro plugin against the loopback fake Syncro,
 * plus a way to start scheduler "instances": each with its own connection pool and its own
 * plugin instance (vendor client), as separate server processes would have, over one database.
 */
export interface HealthWorld {
  server: TestServer;
  fake: FakeSyncro;
  /** Partner ids with a configured Syncro integration, and each one's Syncro subdomain. */
  partners: { id: number; subdomain: string }[];
  /** A scheduler instance over the same database (close() stops it and its pool). */
  instance(options?: HealthSchedulerOptions & { pluginTimeoutMs?: number }): HealthScheduler;
  /** Configures Syncro for `count` new partners, each with its own fake account. */
  addPartners(count: number): Promise<{ id: number; subdomain: string }[]>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function createHealthWorld(options: { env?: Record<string, string>; partners?: number } = {}): Promise<HealthWorld> {
  const fake = await startFakeSyncro({ rateLimitPerMinute: null });
  // Syncro's budget is one per egress address for all partners (180/min): lifted here, as the
  // fake's limit is, because these worlds check many partners at once on purpose.
  const syncroOptions = { checkTimeoutMs: 10_000, http: { rateLimit: { perMinute: 600_000, burst: 10_000 } } };
  const plugins: SyncroPlugin[] = [createSyncroPlugin(syncroOptions)];
  const server = await createTestServer({
    plugins,
    env: { SYNCRO_BASE_URL: fake.baseUrl, HEALTH_CHECK_INTERVAL: '15m', ...options.env },
  });
  const pools: Db[] = [];
  const schedulers: HealthScheduler[] = [];
  const partners: { id: number; subdomain: string }[] = [];

  const world: HealthWorld = {
    server,
    fake,
    partners,
    instance(instanceOptions = {}) {
      const plugin = createSyncroPlugin(syncroOptions);
      plugins.push(plugin);
      const db = createDb(server.database.url, { max: 5 });
      pools.push(db);
      const deps: AppDeps = {
        ...server.deps,
        db,
        registry: createRegistry([plugin]),
        pluginTimeoutMs: instanceOptions.pluginTimeoutMs ?? server.deps.pluginTimeoutMs,
      };
      const scheduler = createHealthScheduler(deps, { pollMs: 50, ...instanceOptions });
      schedulers.push(scheduler);
      return scheduler;
    },
    async addPartners(count) {
      const made: { id: number; subdomain: string }[] = [];
      for (let i = 0; i < count; i++) {
        const partner = await makePartner(server.deps.db);
        const subdomain = `acct${partner.id}`;
        const token = `syncro-token-${partner.id}-abcdefgh`;
        fake.addTenant(subdomain, { tokens: [{ token }] });
        await configureIntegration(server.deps, partner.id, systemActor, 'syncro', { subdomain, api_token: token });
        made.push({ id: partner.id, subdomain });
      }
      partners.push(...made);
      return made;
    },
    async query(sql, params = []) {
      return (await server.deps.db.pool.query(sql, params)).rows;
    },
    async close() {
      await Promise.all(schedulers.map((s) => s.stop({ graceMs: 0 })));
      await Promise.all(pools.map((p) => p.close()));
      await server.close();
      await Promise.all(plugins.map((p) => p.close()));
      await fake.close();
    },
  };
  if (options.partners) await world.addPartners(options.partners);
  return world;
}
