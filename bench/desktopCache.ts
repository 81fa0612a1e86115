import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PullResponse, SyncChange } from '../shared/sync.js';
import { listIntegrations } from '../electron/core/cache/mirror.js';
import { openCacheDatabase } from '../electron/core/db/open.js';
import { aesGcmSecretBox } from '../electron/core/secrets/secretBox.js';
import { SyncEngine } from '../electron/core/sync/engine.js';
import { auditChange, integrationChange, syncroDetail } from '../electron/core/test/fixtures.js';
import { ScriptedTransport } from '../electron/core/test/scriptedTransport.js';
import type { Benchmark } from './lib/types.js';

const integrations = 10;
const auditWindow = 500;
const pageSize = 500;

/**
 * The desktop side of a first sync (issue 7's benchmark partner: 10 integrations, 50,000 audit
 * rows, of which the server sends only the newest 500 per integration): the pages' JSON size and
 * the time to apply them to SQLite through the engine, plus a no-change page's size and reopening
 * the cache to list the catalog. The server side (snapshot reads, wire time) comes with phase B.
 */
export const desktopCache: Benchmark = {
  name: 'desktop-cache',
  async run() {
    const dir = await mkdtemp(path.join(tmpdir(), 'ic-bench-desktop-'));
    try {
      const changes: SyncChange[] = [];
      let version = 0;
      for (let i = 0; i < integrations; i++) {
        changes.push(integrationChange({ ...syncroDetail({ version: 1 }), key: `int${i}`, name: `Integration ${i}` }, ++version));
      }
      for (let n = 0; n < auditWindow; n++) {
        for (let i = 0; i < integrations; i++) changes.push(auditChange(++version, version, `int${i}`));
      }
      const pages: PullResponse[] = [];
      for (let at = 0; at < changes.length; at += pageSize) {
        const slice = changes.slice(at, at + pageSize);
        pages.push({ changes: slice, nextCursor: `c${at}`, hasMore: at + pageSize < changes.length, serverVersion: version, lastMutationId: 0 });
      }
      const noChange: PullResponse = { changes: [], nextCursor: `c${version}`, hasMore: false, serverVersion: version, lastMutationId: 0 };
      const firstSyncBytes = pages.reduce((sum, p) => sum + Buffer.byteLength(JSON.stringify(p)), 0);

      const file = path.join(dir, 'cache.sqlite');
      const db = await openCacheDatabase(file);
      const transport = new ScriptedTransport(() => new Error('end of script')).onPull(...pages);
      const engine = new SyncEngine({ db, box: aesGcmSecretBox(Buffer.alloc(32)), transport, pageLimit: pageSize, auditWindow });
      const t0 = performance.now();
      const status = await engine.requestSync();
      const applyMs = performance.now() - t0;
      if (status.lastError) throw new Error(status.lastError);
      await engine.stop();
      db.close();

      const t1 = performance.now();
      const reopened = await openCacheDatabase(file);
      const cards = listIntegrations(reopened).length;
      const openListMs = performance.now() - t1;
      reopened.close();

      const figures = {
        firstSyncChanges: changes.length,
        firstSyncPages: pages.length,
        firstSyncJsonBytes: firstSyncBytes,
        firstSyncApplyMs: Math.round(applyMs),
        noChangePageBytes: Buffer.byteLength(JSON.stringify(noChange)),
        reopenAndListCatalogMs: Math.round(openListMs * 10) / 10,
        cards,
      };
      return { rows: [figures], figures };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
