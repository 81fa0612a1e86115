import { createDb } from '../server/db/pool.js';
import type { AppDeps } from '../server/deps.js';
import { startFakeAuthorizationServer } from '../server/integrations/oauth2/testing/fakeAuthorizationServer.js';
import { createOAuthTestPlugin, oauthTestSettings } from '../server/integrations/testing/oauthPlugin.js';
import { actionContext } from '../server/services/actions/context.js';
import { createOAuthTokens } from '../server/services/oauth/tokens.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import type { Benchmark } from './lib/types.js';
import { startBenchServer } from './lib/server.js';

/**
 * Issue 16: 500 concurrent vendor calls over one OAuth2 connection whose access token has just
 * expired — in the store (its expiry is set to a second ago) and at the vendor (the fake stops
 * accepting it). The framework must make exactly one token request and every call succeed. Run
 * twice: all calls on one server instance, then split over two instances (each with its own
 * connection pool, token store and plugin HTTP client, as two server processes on one database
 * have: only PostgreSQL's row lock is shared). The calls are the OAuth test plugin's read action
 * against the generic RFC 6749 fake (no vendor rate limit in the way), run through the server's
 * own action context, so each call asks the token store like a real action does.
 */
const calls = 500;

export const oauthBench: Benchmark = {
  name: 'oauth',
  async run() {
    const fake = await startFakeAuthorizationServer();
    const plugins = [createOAuthTestPlugin(fake), createOAuthTestPlugin(fake)];
    const server = await startBenchServer({ plugins: [plugins[0]!] });
    const deps = server.runtime.deps;
    const otherDb = createDb(deps.config.databaseUrl as string);
    const second: AppDeps = { ...deps, db: otherDb, oauth: createOAuthTokens({ db: otherDb, secrets: deps.secrets, log: deps.log, config: deps.config }) };
    const rows: Record<string, unknown>[] = [];
    const figures: Record<string, unknown> = {};
    try {
      const partner = await makePartner(deps.db, { name: 'Bench OAuth' });
      const admin = await makeUser(deps.db, partner.id, 'partner_admin');
      const auth = `Bearer ${(await deps.tokens.sign({ userId: admin.id, partnerId: partner.id, role: 'partner_admin' })).token}`;
      const res = await fetch(`${server.url}/api/integrations/oauthtest/configure`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ settings: oauthTestSettings('cc') }) });
      if (res.status !== 201) throw new Error(`configure: ${res.status} ${await res.text()}`);
      const settings = oauthTestSettings('cc');
      const integration = deps.registry.get('oauthtest');
      if (!integration) throw new Error('no oauthtest');
      // Each instance runs the action with its own plugin instance (its own HTTP client).
      const runners = [deps, second].map((d, i) => {
        const own = { ...integration, plugin: plugins[i]! };
        const action = own.plugin.actions?.[0];
        if (!action) throw new Error('no action');
        return () => action.run(actionContext(d, own, { partnerId: partner.id, userId: admin.id, settings, signal: AbortSignal.timeout(60_000) }), {});
      });

      for (const instances of [1, 2]) {
        // A token in the store, then expired everywhere.
        await runners[0]!();
        await deps.db.pool.query("UPDATE oauth_connections SET expires_at = now() - interval '1 second' WHERE partner_id = $1", [partner.id]);
        fake.issued.clear();
        const before = { tokens: fake.tokenRequests.client_credentials ?? 0, resource: fake.resourceCalls };
        const latencies: number[] = [];
        const started = performance.now();
        const outcomes = await Promise.allSettled(
          Array.from({ length: calls }, async (_, i) => {
            const t = performance.now();
            await runners[i % instances]!();
            latencies.push(performance.now() - t);
          }),
        );
        const wallMs = performance.now() - started;
        const failed = outcomes.filter((o) => o.status === 'rejected').length;
        const tokenRequests = (fake.tokenRequests.client_credentials ?? 0) - before.tokens;
        latencies.sort((a, b) => a - b);
        const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
        const row = { instances, calls, succeeded: calls - failed, failed, tokenRequests, resourceCalls: fake.resourceCalls - before.resource, wallMs: Math.round(wallMs), p50Ms: pct(0.5), p95Ms: pct(0.95) };
        rows.push(row);
        figures[instances === 1 ? 'oneInstance' : 'twoInstances'] = row;
        if (failed || tokenRequests !== 1) throw new Error(`expected one token request and no failure, got ${JSON.stringify(row)}`);
      }
    } finally {
      await otherDb.close();
      await server.stop();
      await Promise.all(plugins.map((p) => p.close()));
      await fake.close();
    }
    return { rows, figures };
  },
};
