import os from 'node:os';
import pg from 'pg';
import { categories } from '../shared/integrations/catalog.js';
import { withSystem } from '../server/db/pool.js';
import { insertUser } from '../server/db/users.js';
import { createControllablePlugin } from '../server/integrations/testing/controllablePlugin.js';
import { secretAad, type SecretCipher } from '../server/secrets/cipher.js';
import type { Benchmark } from './lib/types.js';
import { measureHttp, measureScoped, measureSql, type LatencyFigures } from './lib/latency.js';
import { scopeVariants } from './lib/partnerScope.js';
import { startBenchServer } from './lib/server.js';
import { addCatalogSteps, catalogSteps } from './lib/catalogSteps.js';
import { measureInRounds, timesSlower } from './lib/rounds.js';

const partnerCount = 1_000;
const keysPerPartner = 10;
const auditPerKey = 100; // 1,000 partners × 10 keys × 100 = 1,000,000 audit rows
const keys = Array.from({ length: keysPerPartner }, (_, i) => `bench-${i}`);

/** Ten registry entries, so every partner can hold ten configurations. */
const benchPlugins = keys.map((key, i) => createControllablePlugin({ key, name: `Bench ${i}`, category: categories[i % categories.length] }).plugin);

async function loadConfigurations(client: pg.Client, secrets: SecretCipher, partnerIds: number[]) {
  const statuses = ['Configured', 'Active', 'Active', 'Error'] as const;
  for (let start = 0; start < partnerIds.length; start += 100) {
    const cols: unknown[][] = [[], [], [], [], []];
    for (const partnerId of partnerIds.slice(start, start + 100)) {
      keys.forEach((key, i) => {
        const status = statuses[(partnerId + i) % statuses.length] as string;
        const token = secrets.encrypt(`tok_${partnerId}_${key}_benchmark`, secretAad({ partnerId, integrationKey: key, fieldKey: 'api_token' }));
        cols[0]?.push(partnerId);
        cols[1]?.push(key);
        cols[2]?.push(JSON.stringify({ subdomain: `p${partnerId}`, region: 'us', api_token: token }));
        cols[3]?.push(status);
        cols[4]?.push(status === 'Error' ? 'error' : status === 'Active' ? 'ok' : 'unknown');
      });
    }
    await client.query(
      `INSERT INTO integration_configurations (partner_id, integration_key, settings, status, health, last_health_check, last_ok_at)
       SELECT p, k, s, st, h, CASE WHEN st = 'Configured' THEN NULL ELSE now() END, CASE WHEN st = 'Active' THEN now() END
         FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::text[], $5::text[]) AS t(p, k, s, st, h)`,
      cols,
    );
  }
}

/** 1,000,000 audit rows interleaved across partners and keys like a real trail (ids rise with time). */
async function loadAudit(client: pg.Client) {
  // Bulk load only: the per-row sync-version trigger would make this take minutes.
  await client.query('ALTER TABLE integration_audit_logs DISABLE TRIGGER integration_audit_logs_sync_version');
  for (let from = 1; from <= auditPerKey; from += 10) {
    await client.query(
      `INSERT INTO integration_audit_logs (partner_id, integration_key, action, actor, details, sync_version, created_at)
       SELECT p.id, 'bench-' || k, (ARRAY['configured','reconfigured','tested','health_changed'])[1 + r % 4], 'admin@bench.test',
              CASE r % 2
                WHEN 0 THEN '{"changes":[{"field":"subdomain","before":"old","after":"new","secret":false},{"field":"api_token","before":"set","after":"changed","secret":true}]}'::jsonb
                ELSE '{"fromStatus":"Active","toStatus":"Active","health":"ok"}'::jsonb END,
              r, now() - make_interval(mins => ${auditPerKey} - r)
         FROM generate_series($1::int, $2::int) r, (SELECT id FROM partners WHERE name LIKE 'Bench %') p, generate_series(0, ${keysPerPartner - 1}) k
        ORDER BY r, p.id, k`,
      [from, Math.min(auditPerKey, from + 9)],
    );
  }
  await client.query('ALTER TABLE integration_audit_logs ENABLE TRIGGER integration_audit_logs_sync_version');
  await client.query('ANALYZE');
}

const ratio = (api: LatencyFigures, raw: LatencyFigures) => ({
  p50: Number((api.p50Ms / Math.max(0.01, raw.p50Ms)).toFixed(2)),
  p95: Number((api.p95Ms / Math.max(0.01, raw.p95Ms)).toFixed(2)),
  throughput: timesSlower(raw, api),
});

/**
 * The catalog at scale: 1,000 partners × 10 configurations and 1,000,000 audit rows. Measures
 * GET /api/integrations and one audit page (50 rows) at concurrency 16, each beside the raw SQL
 * round trip that fetches the same rows through `pg`. Goals: p95 ≤ 10 ms, API within 3× raw.
 */
export const catalogBench: Benchmark = {
  name: 'catalog',
  async run() {
    const target = { partnerId: 0, auditKey: 'bench-3' };
    const server = await startBenchServer({ plugins: benchPlugins, extend: (app, runtime) => addCatalogSteps(app, runtime, target) });
    const client = new pg.Client({ connectionString: server.runtime.databaseUrl });
    await client.connect();
    try {
      const loadStarted = Date.now();
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO partners (name) SELECT 'Bench ' || lpad(g::text, 4, '0') FROM generate_series(1, ${partnerCount}) g RETURNING id`,
      );
      const partnerIds = rows.map((r) => r.id);
      await loadConfigurations(client, server.runtime.deps.secrets, partnerIds);
      await loadAudit(client);
      const counts = (await client.query<{ configs: number; audit: number }>(
        'SELECT (SELECT count(*) FROM integration_configurations)::int AS configs, (SELECT count(*) FROM integration_audit_logs)::int AS audit',
      )).rows[0];
      console.log(`loaded ${counts?.configs} configurations and ${counts?.audit} audit rows in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

      const partnerId = partnerIds[Math.floor(partnerIds.length / 2)] as number;
      target.partnerId = partnerId;
      const { deps } = server.runtime;
      const userId = await withSystem(deps.db, (tx) =>
        insertUser(tx, { partnerId, email: 'admin@bench.test', displayName: 'Bench', passwordHash: 'x', role: 'partner_admin' }),
      );
      const { token } = await deps.tokens.sign({ userId, partnerId, role: 'partner_admin' });
      const headers = { authorization: `Bearer ${token}` };

      const listUrl = `${server.url}/api/integrations`;
      const auditUrl = `${server.url}/api/integrations/bench-3/audit?limit=50`;
      const check = async (url: string, expected: number) => {
        const body = (await (await fetch(url, { headers })).json()) as { items: unknown[] };
        if (body.items?.length !== expected) throw new Error(`${url} returned ${body.items?.length} items, expected ${expected}`);
      };
      await check(listUrl, keysPerPartner);
      await check(auditUrl, 50);

      // On shared machines the figures mean little without the load they ran under.
      const loadBefore = os.loadavg()[0];
      const listSql = `SELECT id, partner_id, integration_key, status, health, last_health_check, last_ok_at, consecutive_failures, error_message,
                version, sync_version, created_by, updated_by, created_at, updated_at
           FROM integration_configurations WHERE partner_id = $1 ORDER BY integration_key`;
      const auditSql = `SELECT id, integration_key, action, user_id, actor, details, created_at FROM integration_audit_logs
          WHERE partner_id = $1 AND integration_key = $2 ORDER BY id DESC LIMIT 51`;
      const job = { durationMs: 2500, warmupMs: 500 };
      const http = (path: string, auth = false) => () => measureHttp(`${server.url}${path}`, auth ? headers : {}, job);
      const trpcInput = (input: unknown) => `?input=${encodeURIComponent(JSON.stringify(input))}`;
      // Each read's path, step by step (bench/lib/catalogSteps.ts), beside its raw SQL from the load process.
      const reads = {
        list: { sql: () => measureSql(server.runtime.databaseUrl, listSql, [partnerId], job), rest: '/api/integrations', trpc: '/trpc/integrations.list' },
        audit: {
          sql: () => measureSql(server.runtime.databaseUrl, auditSql, [partnerId, 'bench-3'], job),
          rest: '/api/integrations/bench-3/audit?limit=50',
          trpc: `/trpc/integrations.audit${trpcInput({ key: 'bench-3', limit: 50 })}`,
        },
      };
      const stepNames = {
        raw: 'raw SQL on the server pool, over HTTP',
        scoped: '+ partner scope (readAsPartner)',
        service: '+ service (rows to API shape)',
        validated: '+ zod output schema',
      } as const;
      const measured: Record<string, Map<string, LatencyFigures>> = {};
      for (const [read, r] of Object.entries(reads)) {
        measured[read] = await measureInRounds([
          { name: 'raw SQL (pg, load process)', measure: r.sql },
          ...catalogSteps.map((step) => ({ name: stepNames[step], measure: http(`/bench/steps/${read}/${step}`) })),
          { name: 'REST route (token, user, tRPC caller)', measure: http(r.rest, true) },
          { name: 'tRPC route (desktop)', measure: http(r.trpc, true) },
        ], { loadSeconds: 3 });
      }
      const apiList = measured.list?.get('REST route (token, user, tRPC caller)') as LatencyFigures;
      const rawList = measured.list?.get('raw SQL (pg, load process)') as LatencyFigures;
      const apiAudit = measured.audit?.get('REST route (token, user, tRPC caller)') as LatencyFigures;
      const rawAudit = measured.audit?.get('raw SQL (pg, load process)') as LatencyFigures;
      // The same list statement under the partner scope, each way readAsPartner could do it,
      // interleaved in one run (bench/lib/partnerScope.ts): only their ratios mean much here.
      const scoped = await measureScoped(server.runtime.databaseUrl, { sql: listSql, params: [partnerId], partnerId });
      for (const [name, figures] of Object.entries(scoped)) {
        if (figures.failures > 0) throw new Error(`${name}: ${figures.failures} failed requests`);
      }
      const goals = (api: LatencyFigures, raw: LatencyFigures) => ({
        p95Within10ms: api.p95Ms <= 10,
        within3xRawP95: api.p95Ms <= 3 * raw.p95Ms,
        within3xRawThroughput: api.requestsPerSecond * 3 >= raw.requestsPerSecond,
      });
      return {
        rows: [
          ...Object.entries(measured).flatMap(([read, figures]) =>
            [...figures].map(([name, f]) => ({
              case: `${read}: ${name}`,
              perSecond: f.requestsPerSecond,
              p50Ms: f.p50Ms,
              p95Ms: f.p95Ms,
              overRawSql: timesSlower(figures.get('raw SQL (pg, load process)') as LatencyFigures, f),
              cpuUsServer: f.serverCpuUsPerRequest,
              cpuUsPostgres: f.postgresCpuUsPerRequest,
              cpuUsLoad: f.loadCpuUsPerRequest,
            })),
          ),
          ...scopeVariants.map((variant) => ({ case: `  list SQL, ${variant}`, ...scoped[variant] })),
        ],
        figures: {
          data: { partners: partnerCount, configurations: counts?.configs, auditRows: counts?.audit },
          concurrency: 16,
          loadAverage1m: { before: Number(loadBefore?.toFixed(2)), after: Number(os.loadavg()[0]?.toFixed(2)), cpus: os.cpus().length },
          steps: Object.fromEntries(Object.entries(measured).map(([read, figures]) => [read, Object.fromEntries(figures)])),
          list: { api: apiList, raw: rawList, apiOverRaw: ratio(apiList, rawList), goals: goals(apiList, rawList) },
          auditPage: { api: apiAudit, raw: rawAudit, apiOverRaw: ratio(apiAudit, rawAudit), goals: goals(apiAudit, rawAudit) },
          // Each way's latency and throughput over today's readAsPartner (p50/p95 > 1: slower).
          partnerScope: {
            statement: 'catalog list',
            figures: scoped,
            overReadAsPartner: Object.fromEntries(scopeVariants.map((v) => [v, ratio(scoped[v], scoped.readAsPartner)])),
          },
        },
      };
    } finally {
      await client.end();
      await server.stop();
    }
  },
};
