import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { DataTopic } from '../../../../shared/localApi.js';
import { SECRET_MASK } from '../../../../shared/integrations/fields.js';
import { openDesktop, SyncServer, type Desktop } from '../../../test/desktopWorld.js';
import { AppError } from '../../../../shared/errors.js';

/** The renderer's DataSource over the real core's local API and the real server. */
let server: SyncServer;
let partnerId: number;
let admin: Awaited<ReturnType<SyncServer['user']>>;
let desktop: Desktop | null = null;
const good = { subdomain: 'acme', api_token: 'tok-1234', region: 'eu' };

beforeAll(async () => {
  server = await SyncServer.start();
  partnerId = (await server.partner()).id;
  admin = await server.user(partnerId);
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  if (!server.app) await server.up();
  await server.rest('DELETE', '/api/integrations/testvendor', admin);
});
afterAll(() => server.close());

const open = async (user: { email: string; password: string } = admin, reviewMode = false) => (desktop = await openDesktop(server.url, { signIn: user, reviewMode }));

describe('LocalDataSource', () => {
  test('signs in, reads the synced catalog, and says who is signed in', async () => {
    const { source } = await open();
    expect((await source.getSession())?.user.email).toBe(admin.email);
    expect((await source.listIntegrations()).map((i) => [i.key, i.state.status])).toEqual([
      ['otherbackup', 'Not Configured'],
      ['testvendor', 'Not Configured'],
    ]);
    expect(await source.getAppState()).toMatchObject({ serverUrl: server.url, needsServerUrl: false, endedSession: null, shell: 'browser' });
  });

  test('a wrong password is UNAUTHORIZED and an unreachable server UNAVAILABLE, both as AppError', async () => {
    desktop = await openDesktop(server.url);
    const wrong = await desktop.source.login({ email: admin.email, password: 'not-it' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AppError);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED' });
    await server.down();
    await expect(desktop.source.login({ email: admin.email, password: admin.password })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  test('saves online apply; a save in review mode is a pending draft the sync status counts', async () => {
    const { source } = await open(admin, true);
    const drafted = await source.saveConfiguration({ key: 'testvendor', settings: good, mode: 'create', baseVersion: null });
    expect(drafted.outcome).toBe('drafted');
    expect((await source.listDrafts()).map((d) => [d.integrationKey, d.state])).toEqual([['testvendor', 'draft']]);
    expect(await source.getSyncStatus()).toMatchObject({ pendingDrafts: 1, conflictDrafts: 0, reviewMode: true });
    expect(await source.applyDrafts('all')).toEqual({ applied: 1, queued: 0, conflicts: 0, rejected: 0 });
    // Applied drafts are history: no longer listed or counted.
    expect(await source.listDrafts()).toEqual([]);
    expect((await source.getSyncStatus()).pendingDrafts).toBe(0);
    expect((await source.getIntegration('testvendor')).settings).toMatchObject({ subdomain: 'acme', api_token: { isSet: true } });
  });

  test('resolving a conflict: every choice "theirs" drops the draft; "mine" sends the merge', async () => {
    await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings: good });
    const { source } = await open(admin, true);
    const conflict = async (theirs: string) => {
      const version = (await source.getIntegration('testvendor')).state.version;
      const saved = await source.saveConfiguration({ key: 'testvendor', settings: { ...good, api_token: SECRET_MASK, subdomain: 'mine' }, mode: 'update', baseVersion: version });
      // Another client changes the same field meanwhile.
      await server.rest('POST', '/api/integrations/testvendor/reconfigure', admin, { settings: { ...good, api_token: SECRET_MASK, subdomain: theirs } });
      await source.applyDrafts('all');
      const [draft] = await source.listDrafts();
      expect(draft).toMatchObject({ state: 'conflict', merge: { overlapping: ['subdomain'] } });
      return saved.outcome === 'drafted' ? saved.draft.id : -1;
    };
    const id = await conflict('theirs');
    expect(await source.resolveConflict(id, { subdomain: 'theirs' })).toBeNull();
    expect(await source.listDrafts()).toEqual([]);
    expect(((await server.rest('GET', '/api/integrations/testvendor', admin)).json() as { settings: { subdomain: string } }).settings.subdomain).toBe('theirs');
    expect(await source.listDrafts()).toEqual([]);

    const again = await conflict('theirs-again');
    const resolved = await source.resolveConflict(again, { subdomain: 'mine' });
    expect(resolved).toMatchObject({ state: 'queued', values: { subdomain: 'mine' } });
    await source.syncNow();
    const onServer = (await server.rest('GET', '/api/integrations/testvendor', admin)).json() as { settings: { subdomain: string } };
    expect(onServer.settings.subdomain).toBe('mine');
  });

  test('the dev partner reads another partner’s data by scope, and its own again without one', async () => {
    await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings: good });
    const dev = await server.user((await server.partner({ name: 'Dev', isDev: true })).id);
    const { source } = await open(dev);
    expect((await source.listPartners()).map((p) => p.id)).toContain(partnerId);
    const theirs = await source.listIntegrations({ partnerId });
    expect(theirs.find((i) => i.key === 'testvendor')?.state.status).toBe('Configured');
    const own = await source.listIntegrations();
    expect(own.find((i) => i.key === 'testvendor')?.state.status).toBe('Not Configured');
  });

  test('pages the cached audit with opaque cursors', async () => {
    await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings: good });
    for (let i = 0; i < 3; i++) await server.rest('POST', '/api/integrations/testvendor/test', admin, {});
    const { source } = await open();
    const first = await source.listAudit('testvendor', { cursor: null, limit: 2 });
    expect(first.entries).toHaveLength(2);
    expect(first.nextCursor).toMatch(/^c:\d+$/);
    const rest = await source.listAudit('testvendor', { cursor: first.nextCursor, limit: 50 });
    expect(rest.entries.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...rest.entries.map((e) => e.id))).toBeLessThan(Math.min(...first.entries.map((e) => e.id)));
    expect(rest.nextCursor).toBeNull();
  });

  test('tells subscribers what changed, and stops when the last one leaves', async () => {
    const { source } = await open(admin, true);
    const topics: DataTopic[] = [];
    const stop = source.subscribe((t) => topics.push(t));
    expect(topics).toEqual(expect.arrayContaining(['session', 'catalog', 'drafts', 'sync', 'fleet']));
    topics.length = 0;
    await source.saveConfiguration({ key: 'testvendor', settings: good, mode: 'create', baseVersion: null });
    await expect.poll(() => topics).toEqual(expect.arrayContaining(['drafts']));
    stop();
    topics.length = 0;
    await source.saveConfiguration({ key: 'testvendor', settings: { ...good, subdomain: 'other' }, mode: 'create', baseVersion: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(topics).toEqual([]);
  });
});
