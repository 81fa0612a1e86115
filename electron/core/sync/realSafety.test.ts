import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTokenHeader } from '../../../shared/localApi.js';
import { startBrowserModeCore } from '../browserMode.js';
import { getMeta } from '../cache/syncMeta.js';
import { rawRequest } from '../test/httpClient.js';
import { fastEngine, openCore, removeDir, SyncServer, type CoreHandle, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// Against the real server and PostgreSQL: what the core keeps on disk, who can drive it, and
// the server calls beyond sync (the dev partner's partner list and views, older audit pages).

let server: SyncServer;
let partnerA: { id: number; name: string };
let admin: SyncUser;
let operator: SyncUser;
const dirs: string[] = [];
const serverSecret = 'tok_server_NEEDLE_5b1f2c9d';

beforeAll(async () => {
  server = await SyncServer.start();
  partnerA = await server.partner({ name: 'Partner Alpha' });
  const dev = await server.partner({ name: 'ACG', isDev: true });
  admin = await server.user(partnerA.id);
  operator = await server.user(dev.id);
  const res = await server.rest('POST', '/api/integrations/testvendor/configure', admin, {
    settings: { subdomain: 'alpha', api_token: serverSecret, region: 'us' },
  });
  expect(res.status).toBe(201);
  // A history longer than the window the cores below keep.
  for (let i = 1; i <= 6; i++) {
    expect((await server.rest('POST', '/api/integrations/testvendor/reconfigure', admin, { settings: { subdomain: `alpha-${i}`, region: 'us' } })).status).toBe(200);
  }
});
afterAll(async () => {
  await server.close();
  await Promise.all(dirs.map(removeDir));
});

async function signedIn(user: SyncUser, engine = fastEngine): Promise<CoreHandle> {
  const h = await openCore(server.url, undefined, engine);
  dirs.push(h.dir);
  await h.core.services.session.login({ email: user.email, password: user.password });
  await waitFor(() => h.core.services.sync.status().lastSyncedAt);
  return h;
}

/** Every byte SQLite keeps in a data dir: cache files with their WAL and shared memory. */
async function sqliteBytes(dir: string): Promise<Buffer> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('cache-'));
  expect(names.length).toBeGreaterThan(0);
  return Buffer.concat(await Promise.all(names.map((n) => readFile(path.join(dir, n)))));
}
const holds = (bytes: Buffer, needle: string) => bytes.includes(Buffer.from(needle)) || bytes.includes(Buffer.from(needle, 'utf16le'));

describe('the desktop core with the real server', () => {
  it('keeps no secret in its SQLite files: not the server’s, not a typed one, not the token', async () => {
    const h = await signedIn(admin);
    const typed = 'tok_typed_NEEDLE_8e3a7f10';
    expect(h.core.services.catalog.get('testvendor').detail.settings?.api_token).toEqual({ isSet: true, last4: serverSecret.slice(-4) });

    await server.down();
    const draft = h.core.services.drafts.save({ integrationKey: 'testvendor', kind: 'reconfigure', values: { subdomain: 'alpha-typed', region: 'us', api_token: typed } });
    h.core.services.drafts.review(draft.id);
    await h.core.services.drafts.applyDraft(draft.id);
    const queued = await sqliteBytes(h.dir);
    expect(holds(queued, typed)).toBe(false);
    expect(holds(queued, serverSecret)).toBe(false);

    await server.up();
    h.core.services.sync.focus();
    await waitFor(() => h.core.services.drafts.get(draft.id).state === 'applied');
    await waitFor(() => h.core.services.catalog.get('testvendor').detail.settings?.subdomain === 'alpha-typed');
    h.core.session.requireCache().db.pragma('wal_checkpoint(TRUNCATE)');
    const token = JSON.parse(await readFile(path.join(h.dir, 'token.json'), 'utf8')) as { token: string };
    const after = await sqliteBytes(h.dir);
    for (const needle of [typed, serverSecret, token.token]) expect(holds(after, needle), needle.slice(0, 12)).toBe(false);
    expect(h.core.services.catalog.get('testvendor').detail.settings?.api_token).toEqual({ isSet: true, last4: typed.slice(-4) });
    await h.close();
  });

  it('a cache whose client id another user holds starts over under a new one and still applies its change once', async () => {
    const h = await signedIn(admin);
    const db = h.core.session.requireCache().db;
    const copied = getMeta(db, 'clientId');
    const colleague = await server.user(partnerA.id);
    // As if this cache file had been copied from a colleague who pushed with it first.
    await server.deps.db.pool.query('INSERT INTO sync_clients (partner_id, client_id, user_id, last_mutation_id) VALUES ($1, $2, $3, 7)', [partnerA.id, copied, colleague.id]);
    const draft = h.core.services.drafts.save({ integrationKey: 'otherbackup', kind: 'configure', values: { login: 'own-client', password: 'pw-123456' } });
    h.core.services.drafts.review(draft.id);
    await h.core.services.drafts.applyDraft(draft.id);
    await waitFor(() => h.core.services.drafts.get(draft.id).state === 'applied');
    const renewed = getMeta(db, 'clientId');
    expect(renewed).not.toBe(copied);
    const { rows } = await server.deps.db.pool.query('SELECT client_id, user_id, last_mutation_id FROM sync_clients WHERE partner_id = $1 ORDER BY created_at', [partnerA.id]);
    expect(rows).toEqual(expect.arrayContaining([{ client_id: copied, user_id: colleague.id, last_mutation_id: 7 }, { client_id: renewed, user_id: admin.id, last_mutation_id: 1 }]));
    await h.close();
  });

  it('in browser mode, refuses local API calls without the launch token or with a foreign Host', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-browser-'));
    dirs.push(dataDir);
    const core = await startBrowserModeCore({ serverUrl: server.url, dataDir, port: 0, staticDir: null, engineOptions: fastEngine });
    try {
      const token = decodeURIComponent(new URL(core.host.url).hash.replace('#launch=', ''));
      const port = core.host.port;
      const call = (headers: Record<string, string>, pathName = '/trpc/catalog.list') => rawRequest(port, { path: pathName, headers });
      const login = await rawRequest(port, { method: 'POST', path: '/trpc/session.login', headers: { [launchTokenHeader]: token }, body: { email: admin.email, password: admin.password } });
      expect(login.status).toBe(200);
      await waitFor(() => core.session.requireCache().engine.status().lastSyncedAt);

      const allowed = await call({ [launchTokenHeader]: token });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toContain('testvendor');
      for (const refused of [await call({}), await call({ [launchTokenHeader]: 'not-the-token' })]) {
        expect(refused.status).toBe(401);
        expect(refused.body).not.toContain('testvendor');
      }
      for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`]) {
        const res = await call({ host, [launchTokenHeader]: token });
        expect(res.status, host).toBe(421);
        expect(res.body).not.toContain('testvendor');
      }
      const crossOrigin = await call({ origin: 'https://evil.example', [launchTokenHeader]: token });
      expect(crossOrigin.status).toBe(403);
    } finally {
      await core.close();
    }
  });

  it('fetches audit pages older than the synced window from the server', async () => {
    const h = await signedIn(admin, { ...fastEngine, auditWindow: 3 });
    const cached = h.core.services.audit.cached({ key: 'testvendor', limit: 50 });
    expect(cached.entries).toHaveLength(3);
    const before = cached.entries.at(-1)?.id as number;
    const older = await h.core.services.audit.older({ key: 'testvendor', before, limit: 2 });
    expect(older.source).toBe('server');
    expect(older.entries.map((e) => e.id)).toEqual(older.entries.map((e) => e.id).sort((a, b) => b - a));
    expect(older.entries.every((e) => e.id < before)).toBe(true);
    expect(older.entries).toHaveLength(2);
    const rest = await h.core.services.audit.older({ key: 'testvendor', before: older.nextBefore ?? 0, limit: 50 });
    expect(rest.nextBefore).toBeNull();
    expect(cached.entries.length + older.entries.length + rest.entries.length).toBeGreaterThanOrEqual(8);
    await server.down();
    await expect(h.core.services.audit.older({ key: 'testvendor', before, limit: 2 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await server.up();
    expect(await h.core.services.session.partners()).toEqual([{ id: partnerA.id, name: 'Partner Alpha' }]);
    await h.close();
  });

  it("lets the dev partner list partners and look at one, read-only, with that partner's own audit", async () => {
    const h = await signedIn(operator, { ...fastEngine, auditWindow: 2 });
    const partners = await h.core.services.session.partners();
    expect(partners).toEqual(expect.arrayContaining([{ id: partnerA.id, name: 'Partner Alpha' }, expect.objectContaining({ name: 'ACG' })]));
    expect(h.core.services.catalog.list().find((c) => c.key === 'testvendor')?.state.status).toBe('Not Configured');

    const status = await h.core.services.session.switchPartner(partnerA.id);
    expect(status).toMatchObject({ viewingPartnerId: partnerA.id, readOnly: true });
    await waitFor(() => h.core.services.catalog.list().find((c) => c.key === 'testvendor')?.state.status === 'Configured');
    expect(() => h.core.services.drafts.save({ integrationKey: 'testvendor', kind: 'reconfigure', values: { subdomain: 'nope', region: 'us' } })).toThrow(/read-only/);
    const cached = h.core.services.audit.cached({ key: 'testvendor' });
    expect(cached.entries).toHaveLength(2);
    const older = await h.core.services.audit.older({ key: 'testvendor', before: cached.entries.at(-1)?.id, limit: 3 });
    expect(older.entries).toHaveLength(3);
    expect(older.entries[0]?.actor).toBe(admin.email);

    // The feed of the partner being looked at reaches the dev partner's cache too.
    expect((await server.rest('POST', '/api/integrations/testvendor/reconfigure', admin, { settings: { subdomain: 'seen-by-dev', region: 'us' } })).status).toBe(200);
    await waitFor(() => h.core.services.catalog.get('testvendor').detail.settings?.subdomain === 'seen-by-dev');
    await h.close();
  });
});
