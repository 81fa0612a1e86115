import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { categories } from '../shared/integrations/catalog.js';
import { startBrowserModeCore } from '../electron/core/browserMode.js';
import { createDesktopCore } from '../electron/core/desktopCore.js';
import { listIntegrations } from '../electron/core/cache/pulledCatalog.js';
import { getMeta } from '../electron/core/cache/syncMeta.js';
import { openCacheDatabase } from '../electron/core/db/open.js';
import { aesGcmSecretBox, keyFileSecretBox } from '../electron/core/secrets/secretBox.js';
import { fileTokenStore } from '../electron/core/session/tokenStore.js';
import { SyncEngine } from '../electron/core/sync/engine.js';
import { trpcSyncTransport } from '../electron/core/sync/trpcTransport.js';
import { createControllablePlugin } from '../server/integrations/testing/controllablePlugin.js';
import { pullChanges } from '../server/services/sync/pull.js';
import { builtRenderer, measureCachedCatalog } from './lib/browserTiming.js';
import { startBenchServer } from './lib/server.js';
import { loadSyncPartner } from './lib/syncData.js';
import type { Benchmark } from './lib/types.js';
import { byteCountingProxy, measureBytes } from './lib/wire.js';

const integrations = 10;
const auditRows = 50_000;
const noChangeRuns = 300;
const keys = Array.from({ length: integrations }, (_, i) => `sync-${i}`);
const plugins = keys.map((key, i) => createControllablePlugin({ key, name: `Sync ${i}`, category: categories[i % categories.length] }).plugin);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN).toFixed(2));
};

/**
 * Issue 7's sync benchmark, end to end over loopback HTTP against the real server: a partner
 * with 10 integrations and 50,000 audit rows. The desktop's own engine and transport talk to
 * the server through a relay that counts every byte both ways (headers included; no
 * compression is used).
 * - first sync: empty cache → caught up (pull pages + SQLite), time and bytes;
 * - a no-change pull: server time (Fastify onRequest → response sent, auth included; beside it
 *   the pull procedure alone and the smallest authenticated request) and bytes;
 * - one change: its delta pull's bytes against a full refetch (the first sync's bytes);
 * - browser mode with the server down: navigation start → the cached catalog in the page.
 * Goals: first sync ≤ 2 s, no-change pull ≤ 5 ms server time and ≤ 1 KB, delta ≤ 1 % of a full
 * refetch, cached catalog visible ≤ 500 ms.
 */
export const syncBench: Benchmark = {
  name: 'sync',
  async run() {
    const serverTimes: number[] = [];
    const meTimes: number[] = [];
    const server = await startBenchServer({
      plugins,
      extend: (app) =>
        app.addHook('onResponse', async (req, reply) => {
          if (req.url.startsWith('/trpc/sync.pull')) serverTimes.push(reply.elapsedTime);
          if (req.url.startsWith('/trpc/auth.me')) meTimes.push(reply.elapsedTime);
        }),
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'ic-bench-sync-'));
    let stopped = false;
    try {
      const loadStarted = Date.now();
      const partner = await loadSyncPartner(server, keys, auditRows);
      console.log(`loaded ${integrations} integrations and ${auditRows} audit rows in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
      const loadBefore = os.loadavg()[0];

      // The desktop's own engine and transport, through a relay that counts bytes both ways.
      const relay = await byteCountingProxy(Number(new URL(server.url).port));
      const db = await openCacheDatabase(path.join(dir, 'first-sync.sqlite'));
      const transport = trpcSyncTransport({ serverUrl: relay.url, getToken: () => partner.token });
      const engine = new SyncEngine({ db, box: aesGcmSecretBox(Buffer.alloc(32)), transport });
      const sync = async () => {
        const status = await engine.requestSync();
        if (status.lastError) throw new Error(status.lastError);
      };

      // First sync: empty cache → caught up (every page pulled and applied to SQLite).
      let firstSyncMs = 0;
      const firstSync = await measureBytes(relay.counts, async () => {
        const t0 = performance.now();
        await sync();
        firstSyncMs = performance.now() - t0;
      });
      const firstSyncServerMs = serverTimes.reduce((a, b) => a + b, 0);
      const pages = serverTimes.length;
      const cachedAudit = db.prepare('SELECT count(*) FROM mirror_audit').pluck().get() as number;
      const cards = listIntegrations(db).length;

      // No-change pulls: a sync cycle with nothing to push is exactly one pull.
      serverTimes.length = 0;
      let noChange = { up: 0, down: 0, total: 0 };
      for (let i = 0; i < noChangeRuns; i++) noChange = await measureBytes(relay.counts, sync);
      if (serverTimes.length !== noChangeRuns) throw new Error(`expected ${noChangeRuns} pulls, saw ${serverTimes.length}`);
      const noChangeServer = serverTimes.slice();
      // For scale: the smallest authenticated request (token check + user lookup, no work).
      const headers = { authorization: `Bearer ${partner.token}` };
      for (let i = 0; i < noChangeRuns; i++) await (await fetch(`${server.url}/trpc/auth.me`, { headers })).arrayBuffer();
      const procedureTimes: number[] = [];
      const scope = { partnerId: partner.partnerId, viewerPartnerId: partner.partnerId, client: { userId: partner.userId } };
      const cursor = getMeta(db, 'cursor');
      const clientId = getMeta(db, 'clientId') ?? randomUUID();
      for (let i = 0; i < noChangeRuns; i++) {
        const s = performance.now();
        await pullChanges(server.runtime.deps, scope, { clientId, cursor, limit: 500, auditWindow: 500 });
        procedureTimes.push(performance.now() - s);
      }

      // One change (a reconfigure: its row and its audit row) as a delta pull.
      const change = await fetch(`${server.url}/api/integrations/sync-3/reconfigure`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ settings: { subdomain: 'one-change', region: 'eu' } }),
      });
      if (change.status !== 200) throw new Error(`reconfigure: ${change.status}`);
      const versionBefore = engine.status().serverVersion;
      const delta = await measureBytes(relay.counts, sync);
      const deltaChanges = (engine.status().serverVersion ?? 0) - (versionBefore ?? 0);
      await engine.stop();
      db.close();
      await relay.close();

      // Browser mode, server down: a core that synced before, reopened from disk.
      const coreDir = path.join(dir, 'browser');
      const core = await createDesktopCore({ serverUrl: server.url, dataDir: coreDir, tokenStore: fileTokenStore(coreDir), secretBox: await keyFileSecretBox(coreDir) });
      await core.services.session.login({ email: partner.email, password: partner.password });
      for (let i = 0; i < 600 && !core.services.sync.status().lastSyncedAt; i++) await new Promise((r) => setTimeout(r, 50));
      await core.close();
      const staticDir = await builtRenderer();
      await server.stop();
      stopped = true;
      const browser = await startBrowserModeCore({ serverUrl: server.url, dataDir: coreDir, port: 0, staticDir });
      let page;
      try {
        page = await measureCachedCatalog(browser.host.url, { shell: 'Partner admin', catalog: `Showing ${cards} of ${cards} integrations` }, 5);
      } finally {
        await browser.close();
      }

      const figures = {
        data: { integrations, auditRows, auditWindow: 500, cachedAuditRows: cachedAudit, cards },
        loadAverage1m: { before: Number(loadBefore?.toFixed(2)), after: Number(os.loadavg()[0]?.toFixed(2)), cpus: os.cpus().length },
        firstSync: { ms: Math.round(firstSyncMs), serverMs: Math.round(firstSyncServerMs), pages, wireBytes: firstSync },
        noChangePull: {
          serverMs: { p50: percentile(noChangeServer, 50), p95: percentile(noChangeServer, 95) },
          procedureMs: { p50: percentile(procedureTimes, 50), p95: percentile(procedureTimes, 95) },
          authMeServerMs: { p50: percentile(meTimes, 50), p95: percentile(meTimes, 95) },
          wireBytes: noChange,
        },
        oneChange: {
          versions: deltaChanges,
          deltaWireBytes: delta.total,
          fullRefetchWireBytes: firstSync.total,
          percentOfFullRefetch: Number(((delta.total / firstSync.total) * 100).toFixed(3)),
        },
        cachedCatalogServerDown: page,
      };
      const goals = {
        firstSyncUnder2s: figures.firstSync.ms <= 2000,
        noChangeServerP50Under5ms: figures.noChangePull.serverMs.p50 <= 5,
        noChangeUnder1KB: figures.noChangePull.wireBytes.total <= 1024,
        deltaUnder1Percent: figures.oneChange.percentOfFullRefetch <= 1,
        cachedCatalogUnder500ms: page.catalogInPageMs <= 500,
      };
      return {
        rows: [
          { case: 'first sync (10 integrations, 50,000 audit rows)', value: `${figures.firstSync.ms} ms (server ${figures.firstSync.serverMs} ms), ${pages} pages, ${(firstSync.total / 1024).toFixed(0)} KB on the wire` },
          { case: 'no-change pull: server time p50 / p95', value: `${figures.noChangePull.serverMs.p50} / ${figures.noChangePull.serverMs.p95} ms (procedure alone ${figures.noChangePull.procedureMs.p50} / ${figures.noChangePull.procedureMs.p95}; auth.me ${figures.noChangePull.authMeServerMs.p50} / ${figures.noChangePull.authMeServerMs.p95})` },
          { case: 'no-change pull: bytes on the wire', value: `${noChange.total} B (request ${noChange.up}, response ${noChange.down})` },
          { case: 'one change: delta vs full refetch', value: `${delta.total} B vs ${firstSync.total} B = ${figures.oneChange.percentOfFullRefetch} %` },
          { case: 'cached catalog, server down: shell / all cards on screen', value: `${page.rendererReadyMs} ms / ${page.catalogInPageMs} ms (${page.cards} cards)` },
        ],
        figures: { ...figures, goals },
      };
    } finally {
      if (!stopped) await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
