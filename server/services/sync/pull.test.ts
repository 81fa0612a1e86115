import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SyncChange } from '../../../shared/sync.js';
import { createRegistry } from '../../integrations/registry.js';
import { createControllablePlugin } from '../../integrations/testing/controllablePlugin.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../../test/catalogWorld.js';
import { MemoryMirror, syncCalls } from '../../test/syncWorld.js';
import { catalogFingerprint, decodeCursor, encodeCursor } from './cursor.js';
import { pullChanges } from './pull.js';

let w: CatalogWorld;
let s: ReturnType<typeof syncCalls>;
beforeAll(async () => {
  w = await createCatalogWorld();
  s = syncCalls(w);
});
afterAll(() => w.close());
beforeEach(async () => {
  await w.server.deps.db.pool.query('DELETE FROM integration_configurations; DELETE FROM integration_audit_logs; DELETE FROM sync_tombstones');
});

const kinds = (changes: SyncChange[]) => changes.map((c) => `${c.kind}:${c.kind === 'integration' ? c.detail.key : c.kind === 'audit' ? c.entry.action : c.key}@${c.version}`);
const head = async (partnerId: number) =>
  Number((await w.server.deps.db.pool.query('SELECT coalesce(max(version), 0) AS v FROM partner_sync_state WHERE partner_id = $1', [partnerId])).rows[0]?.v ?? 0);

describe('sync.pull', () => {
  it('first sync sends every catalog entry (unconfigured at version 0), then only what changed', async () => {
    const first = await s.pull(w.a.admin);
    expect(first).toMatchObject({ hasMore: false, lastMutationId: 0 });
    expect(first.reset).toBeUndefined();
    expect(kinds(first.changes)).toEqual(['integration:otherbackup@0', 'integration:testvendor@0']);
    expect(first.changes.every((c) => c.kind === 'integration' && c.detail.state.status === 'Not Configured')).toBe(true);

    // Nothing changed: an empty page that keeps the cursor where it was.
    const same = await s.pull(w.a.admin, { cursor: first.nextCursor });
    expect(same.changes).toEqual([]);
    expect(same.nextCursor).toBe(first.nextCursor);

    const before = await head(w.a.id);
    await s.configure(w.a.admin, 'testvendor', { subdomain: 'incremental' });
    const next = await s.pull(w.a.admin, { cursor: first.nextCursor });
    // One transaction wrote the row, then its audit row: two consecutive versions.
    expect(kinds(next.changes)).toEqual([`integration:testvendor@${before + 1}`, `audit:configured@${before + 2}`]);
    const [config] = next.changes;
    expect(config?.kind === 'integration' && config.detail.settings?.subdomain).toBe('incremental');
    // Secrets only as {isSet, last4}.
    expect(config?.kind === 'integration' && config.detail.settings?.api_token).toEqual({ isSet: true, last4: expect.any(String) });
    expect(next.serverVersion).toBe(await head(w.a.id));
    // Versions are the partner's, in order, and the page ends "through" the server version.
    expect(next.changes.map((c) => c.version)).toEqual([...next.changes.map((c) => c.version)].sort((a, b) => a - b));
  });

  it('a first sync of a configured partner shows the configuration from the first page on', async () => {
    await s.configure(w.a.admin, 'testvendor', { subdomain: 'from-start' });
    const page = await s.pull(w.a.admin, { limit: 2 });
    expect(page.hasMore).toBe(true);
    const baseline = page.changes.find((c) => c.kind === 'integration' && c.detail.key === 'testvendor');
    expect(baseline).toMatchObject({ version: 0, detail: { settings: { subdomain: 'from-start' }, state: { status: 'Configured' } } });
  });

  it('a delete arrives as a tombstone that leaves the entry unconfigured', async () => {
    await s.configure(w.a.admin);
    const mirror = new MemoryMirror();
    for (const page of await s.pullAll(w.a.admin)) mirror.apply(page);
    expect(mirror.summary().testvendor?.status).toBe('Configured');

    expect((await w.request('DELETE', '/api/integrations/testvendor', w.a.admin)).statusCode).toBe(200);
    const page = await s.pull(w.a.admin, { cursor: mirror.cursor });
    expect(kinds(page.changes)).toEqual([`integration_deleted:testvendor@${page.changes[0]?.version}`, `audit:deleted@${page.changes[1]?.version}`]);
    mirror.apply(page);
    expect(mirror.summary().testvendor).toEqual({ status: 'Not Configured', version: null, settings: null });
  });

  it('pages through a long history in (version, id) order, each change once, ending where a fresh sync ends', async () => {
    await s.configure(w.a.admin);
    for (let i = 0; i < 6; i++) await s.reconfigure(w.a.admin, { subdomain: `step-${i}`, region: 'us' });
    await s.configure(w.a.admin, 'otherbackup');
    const mirror = new MemoryMirror();
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 100; n++) {
      const page = await s.pull(w.a.admin, { cursor, limit: 3 });
      expect(page.changes.length).toBeLessThanOrEqual(3);
      mirror.apply(page);
      seen.push(...page.changes.map((c) => `${c.version}/${c.id}`));
      cursor = page.nextCursor;
      // Someone keeps writing while the client pages.
      if (n === 2) await s.reconfigure(w.a.admin, { subdomain: 'during-paging', region: 'eu' });
      if (!page.hasMore) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const fresh = new MemoryMirror();
    for (const page of await s.pullAll(w.a.admin)) fresh.apply(page);
    expect(mirror.summary()).toEqual(fresh.summary());
    expect(mirror.summary().testvendor?.settings).toMatchObject({ subdomain: 'during-paging', region: 'eu' });
    expect([...mirror.audit.keys()].sort()).toEqual([...fresh.audit.keys()].sort());
  });

  it('sends only the newest audit rows of each integration within the window', async () => {
    await s.configure(w.a.admin);
    for (let i = 0; i < 5; i++) await s.reconfigure(w.a.admin, { subdomain: `w-${i}`, region: 'us' });
    await s.configure(w.a.admin, 'otherbackup');
    const { rows } = await w.server.deps.db.pool.query<{ id: number; key: string }>(
      'SELECT id, integration_key AS key FROM integration_audit_logs WHERE partner_id = $1 ORDER BY id DESC',
      [w.a.id],
    );
    const pages = await s.pullAll(w.a.admin, { auditWindow: 2 });
    const audit = pages.flatMap((p) => p.changes).flatMap((c) => (c.kind === 'audit' ? [c.entry.id] : []));
    const expected = [...rows.filter((r) => r.key === 'testvendor').slice(0, 2), ...rows.filter((r) => r.key === 'otherbackup').slice(0, 2)].map((r) => r.id);
    expect(audit.sort()).toEqual(expected.sort());
    const none = await s.pullAll(w.a.admin, { auditWindow: 0 });
    expect(none.flatMap((p) => p.changes).some((c) => c.kind === 'audit')).toBe(false);
  });

  it('reads a page, its version and the client state in one snapshot, whatever commits meanwhile', async () => {
    await s.configure(w.a.admin);
    const start = await s.pull(w.a.admin);
    await s.reconfigure(w.a.admin, { subdomain: 'before-snapshot', region: 'us' });
    const before = await head(w.a.id);
    let committed = 0;
    const page = await pullChanges(
      w.server.deps,
      { partnerId: w.a.id, viewerPartnerId: w.a.id, client: { userId: w.a.admin.id } },
      { clientId: randomUUID(), cursor: start.nextCursor, limit: 500, auditWindow: 500 },
      {
        // Commits on another connection after the snapshot is taken, before the page is read.
        afterSnapshot: async () => {
          await s.reconfigure(w.a.admin, { subdomain: 'concurrent', region: 'eu' });
          committed = await head(w.a.id);
        },
      },
    );
    expect(committed).toBeGreaterThan(before);
    expect(page).toMatchObject({ serverVersion: before, hasMore: false });
    expect(kinds(page.changes)).toEqual([`integration:testvendor@${before - 1}`, `audit:reconfigured@${before}`]);
    expect(page.changes[0]).toMatchObject({ detail: { settings: { subdomain: 'before-snapshot' } } });
    const after = await s.pull(w.a.admin, { cursor: page.nextCursor });
    expect(after.serverVersion).toBe(committed);
    expect(kinds(after.changes)).toEqual([`integration:testvendor@${committed - 1}`, `audit:reconfigured@${committed}`]);

    // A caught-up pull answers from one statement; it too reports the version it read.
    let later = 0;
    const quiet = await pullChanges(
      w.server.deps,
      { partnerId: w.a.id, viewerPartnerId: w.a.id, client: { userId: w.a.admin.id } },
      { clientId: randomUUID(), cursor: after.nextCursor, limit: 500, auditWindow: 500 },
      {
        afterSnapshot: async () => {
          await s.reconfigure(w.a.admin, { subdomain: 'later', region: 'eu' });
          later = await head(w.a.id);
        },
      },
    );
    expect(quiet).toMatchObject({ changes: [], serverVersion: committed, nextCursor: after.nextCursor });
    expect((await s.pull(w.a.admin, { cursor: quiet.nextCursor })).serverVersion).toBe(later);
  });

  it('does not wait for an uncommitted write, nor show it', async () => {
    await s.configure(w.a.admin);
    const start = await s.pull(w.a.admin);
    const writer = await w.server.deps.db.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query("UPDATE integration_configurations SET settings = settings || '{\"notes\":\"uncommitted\"}' WHERE partner_id = $1", [w.a.id]);
      const page = await s.pull(w.a.admin, { cursor: start.nextCursor });
      expect(page.changes).toEqual([]);
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    const page = await s.pull(w.a.admin, { cursor: start.nextCursor });
    expect(page.changes[0]).toMatchObject({ kind: 'integration', detail: { settings: { notes: 'uncommitted' } } });
  });

  describe('reset', () => {
    const expectReset = async (cursor: string) => {
      const page = await s.pull(w.a.admin, { cursor });
      expect(page.reset).toBe(true);
      expect(kinds(page.changes).slice(0, 2)).toEqual(['integration:otherbackup@0', 'integration:testvendor@0']);
      // The fresh cursor continues normally.
      expect((await s.pull(w.a.admin, { cursor: page.nextCursor })).reset).toBeUndefined();
    };

    it('for a cursor that is not ours', () => expectReset('bm90LWEtY3Vyc29y'));

    it("for another partner's cursor", async () => {
      const b = await s.pull(w.b.admin);
      await expectReset(b.nextCursor);
    });

    it('for a cursor ahead of the server (a restored database)', async () => {
      const fp = catalogFingerprint(w.server.deps.registry);
      await expectReset(encodeCursor(fp, w.a.id, { version: (await head(w.a.id)) + 50, id: null }));
    });

    it('for a cursor older than the reset horizon', async () => {
      await s.configure(w.a.admin);
      const old = await s.pull(w.a.admin);
      await s.reconfigure(w.a.admin, { subdomain: 'newer', region: 'us' });
      await w.server.deps.db.pool.query('UPDATE partner_sync_state SET reset_below = version WHERE partner_id = $1', [w.a.id]);
      try {
        await expectReset(old.nextCursor);
      } finally {
        await w.server.deps.db.pool.query('UPDATE partner_sync_state SET reset_below = 0 WHERE partner_id = $1', [w.a.id]);
      }
    });

    it('when the catalog changed (another registry, or a new sync schema)', async () => {
      const cursor = (await s.pull(w.a.admin)).nextCursor;
      const extra = createControllablePlugin({ key: 'newvendor', name: 'New Vendor' }).plugin;
      const deps = { ...w.server.deps, registry: createRegistry([...w.server.deps.registry.list().map((i) => i.plugin), extra]) };
      const page = await pullChanges(deps, { partnerId: w.a.id, viewerPartnerId: w.a.id, client: { userId: w.a.admin.id } }, { clientId: randomUUID(), cursor, limit: 500, auditWindow: 500 });
      expect(page.reset).toBe(true);
      expect(kinds(page.changes)).toContain('integration:newvendor@0');

      // Same catalog, cursor from another sync schema version.
      const decoded = decodeCursor(cursor);
      if (!decoded) throw new Error('cursor did not decode');
      await expectReset(cursor.replace(/^\d+\./, `${decoded.schema + 1}.`));
    });
  });

  describe('client ids', () => {
    it("refuses another partner's or another user's client id, and reports the client's last mutation", async () => {
      const clientId = randomUUID();
      await s.configure(w.a.admin);
      const pushed = await s.push(w.a.admin, clientId, [{ id: 1, kind: 'reconfigure', integrationKey: 'testvendor', baseVersion: 1, settings: validSettings() }]);
      expect(pushed.results[0]?.result).toBe('applied');
      expect((await s.pull(w.a.admin, { clientId })).lastMutationId).toBe(1);
      await expect(s.pull(w.b.admin, { clientId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(s.pull(w.a.tech, { clientId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      // A client that never pushed is simply at 0.
      expect((await s.pull(w.a.tech)).lastMutationId).toBe(0);
    });
  });

  describe('dev partner', () => {
    it("pulls another partner's changes read-only; nobody else may", async () => {
      await s.configure(w.a.admin, 'testvendor', { subdomain: 'alpha-visible' });
      await s.configure(w.b.admin, 'testvendor', { subdomain: 'bravo-hidden' });
      const pages = await s.pullAll(w.dev.admin, {});
      expect(JSON.stringify(pages)).not.toContain('alpha-visible');
      const a = await s.pullPartner(w.dev.admin, w.a.id);
      expect(JSON.stringify(a)).toContain('alpha-visible');
      expect(JSON.stringify(a)).not.toContain('bravo-hidden');
      expect(a).toMatchObject({ lastMutationId: 0, serverVersion: await head(w.a.id) });
      expect((await s.pullPartner(w.dev.admin, w.a.id, { cursor: a.nextCursor })).changes).toEqual([]);
      await expect(s.pullPartner(w.a.admin, w.b.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(s.pullPartner(w.dev.admin, 999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // A cursor of A's stream is not one of the dev partner's own.
      expect((await s.pull(w.dev.admin, { cursor: a.nextCursor })).reset).toBe(true);
    });
  });
});
