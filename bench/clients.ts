import os from 'node:os';
import pg from 'pg';
import { mappingLookup } from '../server/services/clients/mappings.js';
import { suggestMappings } from '../server/services/clients/suggest.js';
import { withSystem } from '../server/db/pool.js';
import { insertUser } from '../server/db/users.js';
import { createControllablePlugin } from '../server/integrations/testing/controllablePlugin.js';
import type { Benchmark } from './lib/types.js';
import { measureHttp, measureSql, type LatencyFigures } from './lib/latency.js';
import { startBenchServer } from './lib/server.js';

const partnerCount = 1_000;
const clientsPerPartner = 100;
const keys = ['bench-psa', 'bench-backup'];
// The large partner: 1,000 clients, each mapped to one organization of each integration, and a
// discovery snapshot of 1,500 organizations in which 50 of the mapped ones are gone.
const largeClients = 1_000;
const largeOrganizations = 1_500;
const largeMissing = 50;

// They declare discovery (the snapshots are loaded by hand below) so suggestions may read it.
const benchPlugins = keys.map((key, i) => ({
  ...createControllablePlugin({ key, name: `Bench ${i}`, category: i === 0 ? 'Psa' : 'Backup' }).plugin,
  listOrganizations: () => Promise.resolve({ items: [], nextCursor: null }),
}));

const words = ['Harbor', 'Summit', 'Cedar', 'Bluewave', 'Granite', 'Maple', 'River', 'Oak', 'Pine', 'Falcon', 'Anchor', 'Keystone', 'Willow', 'Copper', 'Silver', 'Evergreen'];
const trades = ['Dental', 'Legal', 'Roofing', 'Logistics', 'Accounting', 'Realty', 'Veterinary', 'Plumbing', 'Insurance', 'Bakery', 'Consulting', 'Pediatrics'];
/** A plausible, mostly unique company name: two common words and a rarer surname-like one. */
const companyName = (i: number) => `${words[i % words.length]} ${trades[Math.floor(i / words.length) % trades.length]} ${String.fromCharCode(65 + (i % 26))}${i.toString(36)}`;

async function load(client: pg.Client): Promise<{ partnerIds: number[]; large: number }> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO partners (name) SELECT 'Bench ' || lpad(g::text, 4, '0') FROM generate_series(1, ${partnerCount}) g RETURNING id`,
  );
  const partnerIds = rows.map((r) => r.id);
  const large = partnerIds[Math.floor(partnerIds.length / 2)] as number;
  // 100 clients a partner (the large one 1,000), each mapped once per integration: the org id
  // is the client's own id, so the lookup always finds exactly one row.
  const names = Array.from({ length: largeClients }, (_, i) => `${companyName(i)} Inc`);
  await client.query(
    `INSERT INTO clients (partner_id, name)
     SELECT p, 'Client ' || g FROM unnest($1::bigint[]) p, generate_series(1, ${clientsPerPartner}) g WHERE p <> $2
     UNION ALL SELECT $2, n FROM unnest($3::text[]) n`,
    [partnerIds, large, names],
  );
  for (const key of keys) {
    await client.query(
      `INSERT INTO integration_mappings (partner_id, integration_key, client_id, external_org_id, external_org_name)
       SELECT partner_id, $1, id, 'org-' || id, name FROM clients`,
      [key],
    );
  }
  // The large partner's latest discovery of the first integration: its mapped organizations
  // except the first 50, and 550 more nobody has mapped.
  await insertSnapshot(client, large, keys[0] as string, `(SELECT 'org-' || id, upper(name) || ' LLC' FROM clients WHERE partner_id = $1 ORDER BY id OFFSET ${largeMissing})
     UNION ALL SELECT 'new-' || g, 'Unmapped Prospect ' || g FROM generate_series(1, ${largeOrganizations - largeClients + largeMissing}) g`);
  // The second integration is not mapped yet: 1,500 discovered organizations to suggest from,
  // 1,000 of them the clients' names in another case with another legal form.
  await client.query('DELETE FROM integration_mappings WHERE partner_id = $1 AND integration_key = $2', [large, keys[1]]);
  await insertSnapshot(client, large, keys[1] as string, `SELECT 'o' || id, upper(regexp_replace(name, ' Inc$', '')) || ' LLC' FROM clients WHERE partner_id = $1
     UNION ALL SELECT 'p' || g, 'Unmapped Prospect ' || g FROM generate_series(1, ${largeOrganizations - largeClients}) g`);
  await client.query('ANALYZE');
  return { partnerIds, large };
}

/** A succeeded discovery run and its snapshot; `items` selects (id, name) with $1 the partner. */
async function insertSnapshot(client: pg.Client, partnerId: number, key: string, items: string) {
  const run = await client.query<{ id: number }>(
    `INSERT INTO discovery_runs (partner_id, integration_key, status, actor, organizations, new_count, renamed_count, gone_count, finished_at)
     VALUES ($1, $2, 'succeeded', 'bench', ${largeOrganizations}, 0, 0, 0, now()) RETURNING id`,
    [partnerId, key],
  );
  await client.query(
    `INSERT INTO organization_snapshots (partner_id, integration_key, run_id, taken_at, organizations, new_count, renamed_count, gone_count)
     VALUES ($1, $2, $3, now(), ${largeOrganizations}, 0, 0, 0)`,
    [partnerId, key, run.rows[0]?.id],
  );
  await client.query(`INSERT INTO organization_snapshot_items (partner_id, integration_key, external_id, name, change) SELECT $1, $2, t.id, t.name, 'unchanged' FROM (${items.replaceAll('$1', '$1::bigint')}) AS t(id, name)`, [partnerId, key]);
}

/** p50/p95/p99 and throughput of an async call at a concurrency, measured in this process. */
async function measureInProcess(call: () => Promise<unknown>, options: { concurrency?: number; durationMs?: number; warmupMs?: number } = {}): Promise<LatencyFigures> {
  const { concurrency = 16, durationMs = 5_000, warmupMs = 1_000 } = options;
  const latencies: number[] = [];
  let failures = 0;
  const loop = async (until: number, record: boolean) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        await call();
        if (record) latencies.push(performance.now() - t0);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => loop(performance.now() + warmupMs, false)));
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => loop(started + durationMs, true)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  return { requests: latencies.length, requestsPerSecond: Math.round(latencies.length / elapsed), p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), failures };
}

const ratio = (api: LatencyFigures, raw: LatencyFigures) => ({
  p50: Number((api.p50Ms / Math.max(0.01, raw.p50Ms)).toFixed(2)),
  p95: Number((api.p95Ms / Math.max(0.01, raw.p95Ms)).toFixed(2)),
});

/** Wall time of `fn` over `runs` runs: median and p95 in ms. */
function timeSync(fn: () => unknown, runs: number): { medianMs: number; p95Ms: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: Number((times[Math.floor(runs / 2)] ?? 0).toFixed(2)), p95Ms: Number((times[Math.floor(runs * 0.95)] ?? 0).toFixed(2)) };
}

/**
 * Clients and mappings at scale: 1,000 partners × 100 clients × 2 integrations (200,000 mappings).
 * - getMappings(partnerId, clientId, key), the one lookup server code uses, on random partners
 *   and clients, beside the same SELECT sent straight through a pg pool (no partner scope, no
 *   missing-at-vendor probe). Ask: p95 < 20 ms; aim < 2 ms.
 * - GET /api/integrations/:key/mappings for a partner with 1,000 mapped clients and a snapshot,
 *   beside the raw SQL of the same rows (flag included).
 * - Suggestions, 1,000 clients × 1,500 discovered organizations: the pure scorer, and the POST
 *   that reads the snapshot, clients and mappings and scores them. Aim < 300 ms.
 */
export const clientsBench: Benchmark = {
  name: 'clients',
  async run() {
    const server = await startBenchServer({ plugins: benchPlugins });
    const client = new pg.Client({ connectionString: server.runtime.databaseUrl });
    await client.connect();
    const raw = new pg.Pool({ connectionString: server.runtime.databaseUrl, max: 16 });
    try {
      const loadStarted = Date.now();
      const { partnerIds, large } = await load(client);
      const counts = (await client.query<{ clients: number; mappings: number }>(
        'SELECT (SELECT count(*) FROM clients)::int AS clients, (SELECT count(*) FROM integration_mappings)::int AS mappings',
      )).rows[0];
      console.log(`loaded ${counts?.clients} clients and ${counts?.mappings} mappings in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
      const { deps } = server.runtime;
      const pairs = (await client.query<{ partnerId: number; clientId: number }>(
        `SELECT partner_id AS "partnerId", id AS "clientId" FROM clients WHERE partner_id <> $1 ORDER BY random() LIMIT 5000`,
        [large],
      )).rows;
      const pick = () => pairs[Math.floor(Math.random() * pairs.length)] as { partnerId: number; clientId: number };
      const pickKey = () => keys[Math.floor(Math.random() * keys.length)] as string;

      const loadBefore = os.loadavg()[0];
      const lookup = mappingLookup(deps.db);
      const check = await lookup.getMappings(pairs[0]?.partnerId as number, pairs[0]?.clientId as number, keys[0] as string);
      if (check.length !== 1) throw new Error(`getMappings found ${check.length} rows, expected 1`);
      const viaLookup = () => {
        const { partnerId, clientId } = pick();
        return lookup.getMappings(partnerId, clientId, pickKey());
      };
      const viaRaw = () => {
        const { partnerId, clientId } = pick();
        return raw.query(
          `SELECT id, client_id, integration_key, external_org_id, external_org_name, created_by, created_at
             FROM integration_mappings WHERE partner_id = $1 AND client_id = $2 AND integration_key = $3 ORDER BY id`,
          [partnerId, clientId, pickKey()],
        );
      };
      // One caller at a time is the latency a request pays; 16 at once adds queueing for two
      // cores shared with other work, so both are shown.
      const serial = { concurrency: 1, durationMs: 3_000, warmupMs: 500 };
      const getMappingsSerial = await measureInProcess(viaLookup, serial);
      const rawLookupSerial = await measureInProcess(viaRaw, serial);
      const getMappings = await measureInProcess(viaLookup);
      const rawLookup = await measureInProcess(viaRaw);

      const userId = await withSystem(deps.db, (tx) =>
        insertUser(tx, { partnerId: large, email: 'admin@bench.test', displayName: 'Bench', passwordHash: 'x', role: 'partner_admin' }),
      );
      const { token } = await deps.tokens.sign({ userId, partnerId: large, role: 'partner_admin' });
      const headers = { authorization: `Bearer ${token}` };
      const listUrl = `${server.url}/api/integrations/${keys[0]}/mappings`;
      const listed = (await (await fetch(listUrl, { headers })).json()) as { items: { missingAtVendor: boolean }[] };
      if (listed.items.length !== largeClients || listed.items.filter((m) => m.missingAtVendor).length !== largeMissing) {
        throw new Error(`listing returned ${listed.items.length} mappings, ${listed.items.filter((m) => m.missingAtVendor).length} missing`);
      }
      const apiListSerial = await measureHttp(listUrl, headers, serial);
      const apiList = await measureHttp(listUrl, headers);
      const rawListSql = `SELECT m.id, m.client_id, m.integration_key, m.external_org_id, m.external_org_name, m.created_by, m.created_at,
                NOT EXISTS (SELECT 1 FROM organization_snapshot_items i WHERE i.partner_id = m.partner_id AND i.integration_key = m.integration_key
                              AND i.external_id = m.external_org_id AND i.change <> 'gone') AS missing
           FROM integration_mappings m WHERE m.partner_id = $1 AND m.integration_key = $2 ORDER BY m.client_id, m.id`;
      const rawListSerial = await measureSql(server.runtime.databaseUrl, rawListSql, [large, keys[0]], serial);
      const rawList = await measureSql(server.runtime.databaseUrl, rawListSql, [large, keys[0]]);

      // Suggestions: the scorer alone on the large partner's data, then the whole POST that reads
      // the snapshot, the clients and the mappings and scores them (the desktop's call).
      const clientsForScore = (await client.query<{ id: number; name: string }>('SELECT id, name FROM clients WHERE partner_id = $1 AND NOT archived', [large])).rows;
      const organizations = (await client.query<{ id: string; name: string }>(
        'SELECT external_id AS id, name FROM organization_snapshot_items WHERE partner_id = $1 AND integration_key = $2',
        [large, keys[1]],
      )).rows;
      let suggested = 0;
      const scorer = timeSync(() => {
        suggested = suggestMappings({ clients: clientsForScore, organizations, mappings: [] }).length;
      }, 20);
      const suggestUrl = `${server.url}/api/integrations/${keys[1]}/mappings/suggest`;
      const postTimes: number[] = [];
      let postSuggested = 0;
      for (let i = 0; i < 12; i++) {
        const t0 = performance.now();
        const res = await fetch(suggestUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
        const body = (await res.json()) as { items: unknown[] };
        if (!res.ok) throw new Error(`suggest: ${res.status} ${JSON.stringify(body)}`);
        if (i >= 2) postTimes.push(performance.now() - t0);
        postSuggested = body.items.length;
      }
      postTimes.sort((a, b) => a - b);
      const suggestPost = { medianMs: Number((postTimes[Math.floor(postTimes.length / 2)] ?? 0).toFixed(2)), maxMs: Number((postTimes.at(-1) ?? 0).toFixed(2)) };

      for (const [name, figures] of Object.entries({ getMappings, rawLookup, apiList, rawList, getMappingsSerial, rawLookupSerial, apiListSerial, rawListSerial })) {
        if (figures.failures > 0) throw new Error(`${name}: ${figures.failures} failed requests`);
      }
      return {
        rows: [
          { case: 'getMappings, 1 at a time', ...getMappingsSerial },
          { case: '  raw SQL, 1 at a time', ...rawLookupSerial },
          { case: 'getMappings, 16 at once', ...getMappings },
          { case: '  raw SQL, 16 at once', ...rawLookup },
          { case: `GET …/:key/mappings (${largeClients} rows), 1 at a time`, ...apiListSerial },
          { case: '  raw SQL: same rows and flag, 1 at a time', ...rawListSerial },
          { case: `GET …/:key/mappings (${largeClients} rows), 16 at once`, ...apiList },
          { case: '  raw SQL: same rows and flag, 16 at once', ...rawList },
          { case: `suggestMappings ${largeClients} × ${largeOrganizations} (pure)`, p50Ms: scorer.medianMs, p95Ms: scorer.p95Ms },
          { case: `POST …/mappings/suggest ${largeClients} × ${largeOrganizations}`, p50Ms: suggestPost.medianMs, p99Ms: suggestPost.maxMs },
        ],
        figures: {
          data: { partners: partnerIds.length, clients: counts?.clients, mappings: counts?.mappings, largePartner: { clients: largeClients, snapshotOrganizations: largeOrganizations, missingAtVendor: largeMissing } },
          concurrency: 16,
          loadAverage1m: { before: Number(loadBefore?.toFixed(2)), after: Number(os.loadavg()[0]?.toFixed(2)), cpus: os.cpus().length },
          getMappings: {
            serial: { api: getMappingsSerial, raw: rawLookupSerial, apiOverRaw: ratio(getMappingsSerial, rawLookupSerial) },
            concurrent16: { api: getMappings, raw: rawLookup, apiOverRaw: ratio(getMappings, rawLookup) },
            goals: { serialP95Under20ms: getMappingsSerial.p95Ms < 20, serialP95Under2ms: getMappingsSerial.p95Ms < 2, concurrentP95Under20ms: getMappings.p95Ms < 20 },
          },
          listMappingsHttp: {
            serial: { api: apiListSerial, raw: rawListSerial, apiOverRaw: ratio(apiListSerial, rawListSerial) },
            concurrent16: { api: apiList, raw: rawList, apiOverRaw: ratio(apiList, rawList) },
          },
          suggestions: {
            scorer: { ...scorer, suggestions: suggested },
            post: { ...suggestPost, suggestions: postSuggested },
            // The POST beside the pure scorer: what reading, validating and serialising add.
            postOverScorer: Number((suggestPost.medianMs / Math.max(0.01, scorer.medianMs)).toFixed(2)),
            goals: { scorerUnder300ms: scorer.p95Ms < 300, postUnder300ms: suggestPost.medianMs < 300 },
          },
        },
      };
    } finally {
      await raw.end();
      await client.end();
      await server.stop();
    }
  },
};

