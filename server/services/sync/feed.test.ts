import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogWorld, type CatalogWorld, type WorldUser } from '../../test/catalogWorld.js';
import { syncCalls } from '../../test/syncWorld.js';
import { createSyncFeed, type SyncFeed } from './feed.js';

let w: CatalogWorld;
let s: ReturnType<typeof syncCalls>;
let url: string;
beforeAll(async () => {
  w = await createCatalogWorld();
  s = syncCalls(w);
  await w.server.app.listen({ host: '127.0.0.1', port: 0 });
  await s.configure(w.a.admin);
  url = `http://127.0.0.1:${(w.server.app.server.address() as AddressInfo).port}`;
});
afterAll(() => w.close());

const version = async (partnerId: number) =>
  Number((await w.server.deps.db.pool.query('SELECT version FROM partner_sync_state WHERE partner_id = $1', [partnerId])).rows[0]?.version ?? 0);

/** Collects what a watcher yields until aborted. */
function collect(feed: SyncFeed, partnerId: number) {
  const controller = new AbortController();
  const seen: number[] = [];
  const done = (async () => {
    for await (const v of feed.watch(partnerId, controller.signal, () => version(partnerId))) seen.push(v);
  })();
  return { seen, stop: async () => (controller.abort(), await done), done };
}

async function until(check: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sync change feed (LISTEN/NOTIFY)', () => {
  it("wakes a partner's watchers on its commits only, starting with the current version", async () => {
    const feed = createSyncFeed({ connectionString: w.server.database.url, log: w.server.logs.log });
    const a = collect(feed, w.a.id);
    const b = collect(feed, w.b.id);
    try {
      await until(() => a.seen.length === 1 && b.seen.length === 1);
      expect(a.seen).toEqual([await version(w.a.id)]);
      await s.reconfigure(w.a.admin, { subdomain: 'first-change', region: 'us' });
      const after = await version(w.a.id);
      await until(() => a.seen.at(-1) === after);
      expect(b.seen).toHaveLength(1);

      // A rolled-back write notifies nobody: B's watcher hears nothing, even once A's later
      // commit (delivered after anything B's transaction could have sent) has arrived.
      await s.configure(w.b.admin);
      await until(() => b.seen.length === 2);
      const client = await w.server.deps.db.pool.connect();
      await client.query('BEGIN');
      await client.query("UPDATE integration_configurations SET error_message = 'x' WHERE partner_id = $1", [w.b.id]);
      await client.query('ROLLBACK');
      client.release();
      await s.reconfigure(w.a.admin, { subdomain: 'after-rollback', region: 'us' });
      const latest = await version(w.a.id);
      await until(() => a.seen.at(-1) === latest);
      expect(b.seen).toHaveLength(2);
    } finally {
      await feed.stop();
      await a.done;
      await b.done;
    }
  });

  it('reconnects a lost LISTEN connection and tells every watcher to pull', async () => {
    const feed = createSyncFeed({ connectionString: w.server.database.url, log: w.server.logs.log, reconnectMs: 20 });
    const a = collect(feed, w.a.id);
    try {
      await until(() => a.seen.length === 1 && feed.listening);
      await w.server.deps.db.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'integration-center-sync-feed' AND datname = current_database()");
      await until(() => a.seen.length === 2 && feed.listening);
      await s.reconfigure(w.a.admin, { subdomain: 'after-reconnect', region: 'us' });
      const latest = await version(w.a.id);
      await until(() => a.seen.at(-1) === latest);
    } finally {
      await feed.stop();
      await a.done;
    }
  });

  describe('sync.changes over SSE', () => {
    async function stream(path: string, who?: WorldUser) {
      const controller = new AbortController();
      const response = await fetch(`${url}${path}`, { headers: who ? { authorization: who.auth } : {}, signal: controller.signal });
      const events: string[] = [];
      const reading = (async () => {
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) events.push(...decoder.decode(chunk).split('\n\n').map((e) => e.trim()).filter(Boolean));
        } catch {
          // aborted
        }
      })();
      return { response, events, close: async () => (controller.abort(), await reading) };
    }

    it("streams pokes to the partner's members and refuses everyone else", async () => {
      const tech = await stream('/trpc/sync.changes', w.a.tech);
      try {
        expect(tech.response.headers.get('content-type')).toMatch(/text\/event-stream/);
        await until(() => tech.events.some((e) => e.startsWith('data:')));
        const start = tech.events.filter((e) => e.startsWith('data:')).length;
        await s.reconfigure(w.a.admin, { subdomain: 'over-sse', region: 'us' });
        const latest = await version(w.a.id);
        await until(() => tech.events.some((e) => e === `data: {"serverVersion":${latest}}`));
        expect(tech.events.filter((e) => e.startsWith('data:')).length).toBeGreaterThan(start);
      } finally {
        await tech.close();
      }

      const anonymous = await stream('/trpc/sync.changes');
      const notDev = await stream(`/trpc/sync.changesPartner?input=${encodeURIComponent(JSON.stringify({ partnerId: w.b.id }))}`, w.a.admin);
      try {
        await until(() => anonymous.events.some((e) => e.startsWith('event: serialized-error')) && notDev.events.some((e) => e.startsWith('event: serialized-error')));
        expect(anonymous.events.join()).toContain('"code":"UNAUTHORIZED"');
        expect(notDev.events.join()).toContain('"code":"FORBIDDEN"');
        expect([...anonymous.events, ...notDev.events].some((e) => e.startsWith('data: {"serverVersion"'))).toBe(false);
      } finally {
        await anonymous.close();
        await notDev.close();
      }
    });
  });
});
