import os from 'node:os';
import pg from 'pg';
import { withSystem } from '../server/db/pool.js';
import { insertUser } from '../server/db/users.js';
import { migrateMspBackups } from '../server/legacy/mspbackups/migrate.js';
import { checkMspBackupsParity } from '../server/legacy/mspbackups/parity.js';
import { setFeatureFlag } from '../server/services/featureFlags.js';
import type { Benchmark } from './lib/types.js';
import { measureHttp } from './lib/latency.js';
import { startBenchServer } from './lib/server.js';

const partnerCount = 5_000;
const batchSize = 200;

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/**
 * The MSP360 move at 5,000 partners: the data migration (decrypt with CREDENTIALS_KEY,
 * re-encrypt under the key ring, insert, audit; batches of 200), a second run (the no-op), the
 * parity check, and the legacy GET /api/mspbackups/config with the read flag off and on.
 */
export const msp360MigrationBench: Benchmark = {
  name: 'msp360-migration',
  async run() {
    const server = await startBenchServer();
    const client = new pg.Client({ connectionString: server.runtime.databaseUrl });
    await client.connect();
    const { deps } = server.runtime;
    try {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO partners (name) SELECT 'Bench ' || lpad(g::text, 5, '0') FROM generate_series(1, ${partnerCount}) g RETURNING id`,
      );
      const ids = rows.map((r) => r.id);
      for (let start = 0; start < ids.length; start += 500) {
        const slice = ids.slice(start, start + 500);
        await client.query(
          `INSERT INTO mspbackups_config (partner_id, api_login, api_password, enabled)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::boolean[])`,
          [
            slice,
            slice.map((id) => (id % 7 === 0 ? `sicherung-ü-${id}` : `partner-${id}-api`)),
            slice.map((id) => (id % 10 === 9 ? null : deps.legacyCredentials.encrypt(`legacy-password-${id}`))),
            slice.map((id) => id % 10 !== 8),
          ],
        );
      }
      await client.query('ANALYZE');

      const loadBefore = os.loadavg()[0];
      const first = await timed(() => migrateMspBackups(deps, { batchSize }));
      if (first.value.migrated !== partnerCount) throw new Error(`migrated ${first.value.migrated} of ${partnerCount}`);
      const second = await timed(() => migrateMspBackups(deps, { batchSize }));
      if (second.value.skipped !== partnerCount) throw new Error(`second run skipped ${second.value.skipped} of ${partnerCount}`);
      const parity = await timed(() => checkMspBackupsParity(deps));
      if (parity.value.differences.length) throw new Error(`${parity.value.differences.length} parity differences`);

      const partnerId = ids[Math.floor(ids.length / 2)] as number;
      const userId = await withSystem(deps.db, (tx) =>
        insertUser(tx, { partnerId, email: 'admin@msp360-bench.test', displayName: 'Bench', passwordHash: 'x', role: 'partner_admin' }),
      );
      const headers = { authorization: `Bearer ${(await deps.tokens.sign({ userId, partnerId, role: 'partner_admin' })).token}` };
      const url = `${server.url}/api/mspbackups/config`;
      const readOld = await measureHttp(url, headers);
      await setFeatureFlag(deps.db, { flag: 'msp360.read_from_new', enabled: true });
      deps.flags.invalidate();
      const readNew = await measureHttp(url, headers);
      for (const [name, f] of Object.entries({ readOld, readNew })) if (f.failures > 0) throw new Error(`${name}: ${f.failures} failed requests`);

      const perSecond = (ms: number) => Math.round(partnerCount / (ms / 1000));
      return {
        rows: [
          { case: `migrate ${partnerCount} partners (batches of ${batchSize})`, seconds: seconds(first.ms), partnersPerSecond: perSecond(first.ms) },
          { case: 'migrate again (no-op)', seconds: seconds(second.ms), partnersPerSecond: perSecond(second.ms) },
          { case: 'msp360-parity', seconds: seconds(parity.ms), partnersPerSecond: perSecond(parity.ms) },
          { case: 'GET /api/mspbackups/config, flag off', p50Ms: readOld.p50Ms, p95Ms: readOld.p95Ms, requestsPerSecond: readOld.requestsPerSecond },
          { case: 'GET /api/mspbackups/config, flag on', p50Ms: readNew.p50Ms, p95Ms: readNew.p95Ms, requestsPerSecond: readNew.requestsPerSecond },
        ],
        figures: {
          partners: partnerCount,
          batchSize,
          loadAverage1m: { before: Number(loadBefore?.toFixed(2)), after: Number(os.loadavg()[0]?.toFixed(2)), cpus: os.cpus().length },
          migrate: { seconds: seconds(first.ms), report: first.value },
          migrateAgain: { seconds: seconds(second.ms) },
          parity: { seconds: seconds(parity.ms), checked: parity.value.checked },
          legacyRead: { flagOff: readOld, flagOn: readNew },
        },
      };
    } finally {
      await client.end();
      await server.stop();
    }
  },
};
