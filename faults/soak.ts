import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createDb } from '../server/db/pool.js';
import { createSyncroPlugin } from '../server/integrations/syncro/index.js';
import { startFakeSyncro, type FakeSyncro } from '../server/integrations/syncro/fakeServer.js';
import { createControllablePlugin } from '../server/integrations/testing/controllablePlugin.js';
import { makePartner, makeUser } from '../server/test/factories.js';
import { startWebhookReceiver, type WebhookReceiver } from '../server/test/webhookReceiver.js';
import { startInProcessServer, type InProcessServer } from './lib/apiServer.js';
import { percentile, probe, type ProbeResult } from './lib/probe.js';
import { seededRandom, type Scenario, type ScenarioOptions, type ScenarioReport } from './lib/scenario.js';
import { checkFlat, type SoakSample } from './soakChecks.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A full garbage collection before each heap sample, so the figure is what is live rather than
 * where the collector happened to be. `--expose-gc` gives `global.gc`; without it the flag is
 * turned on at run time and gc fetched from a fresh context (V8 supports this for tests).
 */
function collector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

interface Client {
  token: string;
  partnerId: number;
  clientId: string;
  cursor: string | null;
  mutationId: number;
  version: number;
}

/**
 * Issue 20 §6: mixed traffic for a while against the in-process server — REST and tRPC reads,
 * desktop-style sync pushes and pulls, and health sweeps of a Syncro fake whose accounts fail and
 * recover (alerts and webhook deliveries follow) — sampling heap, open handles and p95 latency.
 */
export const soak: Scenario = {
  name: 'soak',
  title: 'Mixed traffic (reads, sync pushes/pulls, health sweeps with failing vendors): heap, handles and p95 stay flat, no 5xx, no error logs',
  run,
};

async function run(options: ScenarioOptions): Promise<ScenarioReport> {
  const random = seededRandom(options.seed);
  const minutes = Number(process.env.FAULT_SOAK_MINUTES ?? 10);
  const durationMs = options.quick ? 15_000 : minutes * 60_000;
  const sampleMs = options.quick ? 2_000 : 10_000;
  const gc = collector();
  const violations: string[] = [];
  const tag = (text: string) => `seed ${options.seed}: ${text}`;
  let fake: FakeSyncro | undefined;
  let receiver: WebhookReceiver | undefined;
  let server: InProcessServer | undefined;
  const seedDb = createDb(options.databaseUrl, { max: 2 });
  try {
    fake = await startFakeSyncro({ rateLimitPerMinute: null });
    receiver = await startWebhookReceiver();
    // Syncro's budget is per egress address for every partner: lifted, as the fake's is, since
    // one loopback address checks every partner here (as server/test/healthWorld.ts does).
    const syncro = createSyncroPlugin({ checkTimeoutMs: 10_000, http: { rateLimit: { perMinute: 600_000, burst: 10_000 } } });
    const { plugin: testvendor } = createControllablePlugin();
    server = await startInProcessServer({
      databaseUrl: options.databaseUrl,
      plugins: [syncro, testvendor],
      env: { SYNCRO_BASE_URL: fake.baseUrl, HEALTH_CHECK_INTERVAL: options.quick ? '2s' : '3s', INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' },
      monitor: { scheduler: { pollMs: 200 }, deliverer: { pollMs: 500, backoffMs: 500, maxBackoffMs: 2_000 } },
    });
    const srv = server;
    const vendorFake = fake;

    // Partners: each with Syncro (health-checked), the test vendor (edited by its sync client)
    // and an alert webhook; one partner admin each, who reads and syncs.
    const clients: Client[] = [];
    const subdomains: string[] = [];
    for (let i = 0; i < (options.quick ? 3 : 6); i++) {
      const partner = await makePartner(seedDb);
      const user = await makeUser(seedDb, partner.id);
      const token = await srv.tokenFor(user);
      const subdomain = `soak${partner.id}`;
      const apiToken = `syncro-token-${partner.id}-abcdefgh`;
      vendorFake.addTenant(subdomain, { tokens: [{ token: apiToken }] });
      subdomains.push(subdomain);
      const calls = [
        await probe(`${srv.url}/api/integrations/syncro/configure`, { label: 'seed', method: 'POST', token, body: { settings: { subdomain, api_token: apiToken } } }),
        await probe(`${srv.url}/api/integrations/testvendor/configure`, { label: 'seed', method: 'POST', token, body: { settings: { subdomain: 'soak', api_token: 'tok-soak-abcdefgh', region: 'us' } } }),
        await probe(`${srv.url}/api/alerts/webhook`, { label: 'seed', method: 'PUT', token, body: { url: receiver.url } }),
      ];
      const failed = calls.find((c) => c.status >= 300);
      if (failed) throw new Error(`seeding failed: ${failed.status} ${failed.body}`);
      const version = (JSON.parse(calls[1]?.body ?? '{}') as { state?: { version?: number } }).state?.version ?? 1;
      clients.push({ token, partnerId: partner.id, clientId: randomUUID(), cursor: null, mutationId: 0, version });
    }
    options.log(`${clients.length} partners seeded; traffic for ${(durationMs / 1000).toFixed(0)} s, a sample every ${sampleMs / 1000} s`);

    // What every answer is checked against, as it arrives (nothing kept per request: the soak
    // must not grow its own memory).
    let window: number[] = [];
    let total = 0;
    let serverErrors = 0;
    let pushesApplied = 0;
    const byLabel = new Map<string, { count: number; totalMs: number; maxMs: number }>();
    const note = (r: ProbeResult, ok: boolean, why = '') => {
      total++;
      const stat = byLabel.get(r.label) ?? byLabel.set(r.label, { count: 0, totalMs: 0, maxMs: 0 }).get(r.label);
      if (stat) {
        stat.count++;
        stat.totalMs += r.ms;
        stat.maxMs = Math.max(stat.maxMs, r.ms);
      }
      window.push(r.ms);
      if (r.status >= 500 || r.status === 0) serverErrors++;
      if (!ok && violations.length < 50) violations.push(tag(`${r.label} answered ${r.status || r.failure} after ${Math.round(r.ms)} ms ${why}: ${r.body.slice(0, 200)}`));
    };

    const reads = [
      (c: Client) => probe(`${srv.url}/api/integrations`, { label: 'rest integrations', token: c.token }),
      (c: Client) => probe(`${srv.url}/trpc/integrations.list`, { label: 'trpc integrations.list', token: c.token }),
      (c: Client) => probe(`${srv.url}/api/alerts`, { label: 'rest alerts', token: c.token }),
      (c: Client) => probe(`${srv.url}/api/integrations/syncro/health-history`, { label: 'rest health-history', token: c.token }),
      (c: Client) => probe(`${srv.url}/api/integrations/syncro/checks`, { label: 'rest checks', token: c.token }),
    ];
    const pull = async (c: Client) => {
      const input = encodeURIComponent(JSON.stringify({ clientId: c.clientId, cursor: c.cursor }));
      const r = await probe(`${srv.url}/trpc/sync.pull?input=${input}`, { label: 'trpc sync.pull', token: c.token });
      if (r.status === 200) c.cursor = (JSON.parse(r.body) as { result: { data: { nextCursor: string } } }).result.data.nextCursor;
      note(r, r.status === 200);
    };
    const push = async (c: Client) => {
      const mutation = { id: ++c.mutationId, kind: 'reconfigure', integrationKey: 'testvendor', baseVersion: c.version, settings: { subdomain: 'soak', region: 'us', notes: `edit ${c.mutationId}` } };
      const r = await probe(`${srv.url}/trpc/sync.push`, { label: 'trpc sync.push', method: 'POST', token: c.token, body: { clientId: c.clientId, mutations: [mutation] } });
      const result = r.status === 200 ? (JSON.parse(r.body) as { result: { data: { results: Array<{ result: string; version?: number | null }> } } }).result.data.results[0] : undefined;
      // Each partner has one writer: anything but "applied" lost or refused an edit.
      if (result?.result === 'applied' && typeof result.version === 'number') {
        c.version = result.version;
        pushesApplied++;
      } else c.mutationId--;
      note(r, result?.result === 'applied', `(push result ${JSON.stringify(result)})`);
    };

    let trafficOn = true;
    const clientLoop = async (n: number) => {
      while (trafficOn) {
        const c = clients[Math.floor(random() * clients.length)] as Client;
        const pick = random();
        if (pick < 0.6) {
          const r = await (reads[Math.floor(random() * reads.length)] as (c: Client) => Promise<ProbeResult>)(c);
          note(r, r.status === 200);
        } else if (pick < 0.85) await pull(c);
        else if (n === 0) await push(c); // one pushing loop: each partner's edits stay sequential
        await sleep(5 + random() * 20);
      }
    };
    // The vendor's accounts fail and recover: a refused token (an alert, its webhook, then a
    // recovery) or a burst of 503s the plugin retries through.
    let flips = 0;
    const vendorLoop = async () => {
      while (trafficOn) {
        await sleep(options.quick ? 2_500 : 8_000 + random() * 8_000);
        if (!trafficOn) break;
        const subdomain = subdomains[Math.floor(random() * subdomains.length)] as string;
        if (random() < 0.5) {
          vendorFake.setFaults({ badCredentials: true }, subdomain);
          await sleep(options.quick ? 2_500 : 6_000 + random() * 6_000);
          vendorFake.setFaults({ badCredentials: false }, subdomain);
        } else vendorFake.setFaults({ serverError: { times: 3 } }, subdomain);
        flips++;
      }
    };

    const samples: SoakSample[] = [];
    const started = Date.now();
    const loops = [...Array.from({ length: 4 }, (_, n) => clientLoop(n)), vendorLoop()];
    while (Date.now() - started < durationMs) {
      await sleep(Math.min(sampleMs, durationMs - (Date.now() - started)));
      const latencies = window;
      window = [];
      // The webhook receiver keeps what it got: emptied, so it is not the soak's leak.
      receiver.received.length = 0;
      gc();
      const sample: SoakSample = {
        atS: Math.round((Date.now() - started) / 1000),
        heapUsedMB: Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10,
        handles: process.getActiveResourcesInfo().length,
        requests: latencies.length,
        p95Ms: Math.round(percentile(latencies, 95)),
      };
      samples.push(sample);
      options.log(`+${sample.atS} s: heap ${sample.heapUsedMB} MB, handles ${sample.handles}, ${sample.requests} requests, p95 ${sample.p95Ms} ms`);
    }
    trafficOn = false;
    await Promise.all(loops);

    const { rows } = await seedDb.pool.query<{ checks: number; alerts: number; delivered: number }>(
      `SELECT (SELECT count(*)::int FROM integration_health_history) AS checks, (SELECT count(*)::int FROM integration_alerts) AS alerts,
              (SELECT count(*)::int FROM webhook_deliveries WHERE delivered) AS delivered`,
    );
    const db = rows[0] ?? { checks: 0, alerts: 0, delivered: 0 };
    if (db.checks === 0) violations.push(tag('no health check was recorded: the sweeps did not run'));
    if (!options.quick) {
      violations.push(...checkFlat(samples).map(tag));
      if (db.alerts === 0) violations.push(tag('no alert was raised in the whole soak: the failing vendor was never noticed'));
    }
    // Nothing the clients did was wrong (every call is valid), so an error-level line is the server's own.
    for (const line of srv.logs.lines.filter((l) => l.level >= 50).slice(0, 10)) {
      violations.push(tag(`logged at error level: ${line.msg}${line.err?.message ? ` (${line.err.message})` : ''}`));
    }
    if (srv.logs.counts.error > 10) violations.push(tag(`${srv.logs.counts.error} lines logged at error level in all`));
    return {
      runs: 1,
      operationsChecked: total,
      violations,
      serverErrors,
      figures: {
        durationS: Math.round((Date.now() - started) / 1000),
        requests: total,
        pushesApplied,
        vendorFlips: flips,
        healthChecks: db.checks,
        alerts: db.alerts,
        webhookDeliveries: db.delivered,
        serverLog: srv.logs.counts,
        byRequest: Object.fromEntries([...byLabel].map(([label, s]) => [label, { count: s.count, meanMs: Math.round(s.totalMs / s.count), maxMs: Math.round(s.maxMs) }])),
        samples,
      },
    };
  } finally {
    await server?.stop().catch((error: unknown) => options.log(`server stop: ${String(error)}`));
    await receiver?.close();
    await fake?.close();
    await seedDb.close();
  }
}
