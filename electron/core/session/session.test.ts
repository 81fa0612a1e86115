import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countPendingDrafts } from '../drafts/draftRows.js';
import { saveDraft } from '../drafts/drafts.js';
import { aesGcmSecretBox } from '../secrets/secretBox.js';
import { trpcSyncTransport } from '../sync/trpcTransport.js';
import { syncroDetail } from '../test/fixtures.js';
import { listeningServer } from '../test/realServer.js';
import { makePartner, makeUser } from '../../../server/test/factories.js';
import { seedMirror } from '../test/seed.js';
import { cacheFileName, userCachePrefix } from './cacheFiles.js';
import { httpServerClient } from './serverClient.js';
import { DesktopSession } from './session.js';
import { fileTokenStore, memoryTokenStore, type TokenStore } from './tokenStore.js';

let real: Awaited<ReturnType<typeof listeningServer>>;
beforeAll(async () => {
  real = await listeningServer();
});
afterAll(() => real.close());

let dir: string;
let clock: Date;
let session: DesktopSession;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-session-'));
  clock = new Date();
});
afterEach(async () => {
  await session?.close();
  await rm(dir, { recursive: true, force: true });
});

function makeSession(tokenStore: TokenStore = fileTokenStore(dir)) {
  session = new DesktopSession({
    dataDir: dir,
    serverUrl: real.url,
    tokenStore,
    secretBox: aesGcmSecretBox(Buffer.alloc(32, 1)),
    server: httpServerClient({ serverUrl: real.url }),
    createTransport: (t) => trpcSyncTransport({ serverUrl: real.url, ...t }),
    // These tests are about the session: keep the engine from retrying in the background.
    engineOptions: { backoff: { baseMs: 60_000, maxMs: 60_000 } },
    now: () => clock,
  });
  return session;
}

const login = () => session.login({ email: real.admin.email, password: real.admin.password });

describe('desktop session', () => {
  it('signs in through the server and keeps the token out of every status', async () => {
    makeSession();
    const status = await login();
    expect(status).toMatchObject({ state: 'signedIn', user: { id: real.admin.id }, tokenStorage: 'file', readOnly: false });
    expect(JSON.stringify(status)).not.toMatch(/eyJ/);
    // The token file is the user's alone.
    expect((await stat(path.join(dir, 'token.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a wrong password with the server message', async () => {
    makeSession();
    await expect(session.login({ email: real.admin.email, password: 'nope' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(session.status().state).toBe('signedOut');
  });

  it('after expiry keeps cache and drafts readable, and a new login carries on with them', async () => {
    makeSession();
    await login();
    const { db } = session.requireWritable();
    seedMirror(db, syncroDetail({ version: 2 }));
    saveDraft(db, aesGcmSecretBox(Buffer.alloc(32, 1)), { integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain: 'beta' } });

    clock = new Date(Date.now() + 48 * 3600_000);
    expect(session.status().state).toBe('expired');
    expect(countPendingDrafts(session.requireCache().db)).toBe(1);

    // A restart while expired: the cache opens again from the profile, without a valid token.
    await session.close();
    makeSession();
    await session.restore();
    expect(session.status()).toMatchObject({ state: 'expired', user: { id: real.admin.id } });
    expect(countPendingDrafts(session.requireCache().db)).toBe(1);

    clock = new Date();
    expect((await login()).state).toBe('signedIn');
    expect(countPendingDrafts(session.requireCache().db)).toBe(1);
  });

  it('a different user signing in after a session ended sees none of its rows or drafts; its own user finds them again', async () => {
    const box = aesGcmSecretBox(Buffer.alloc(32, 1));
    /** Every row of every table of the open cache, as text. */
    const everything = () => {
      const { db } = session.requireCache();
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM "${t.name}"`).all()));
    };
    makeSession();
    await login();
    const { db } = session.requireWritable();
    seedMirror(db, syncroDetail({ version: 2, settings: { subdomain: 'first-user-canary', api_token: { isSet: true, last4: '9q9q' } } }));
    saveDraft(db, box, { integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain: 'first-user-draft' } });
    expect(everything()).toContain('first-user-draft');

    // The session ends (drafts are kept for this user), then someone else signs in on this computer:
    // a technician of the same partner, then an admin of another partner.
    clock = new Date(Date.now() + 48 * 3600_000);
    expect(session.status().state).toBe('expired');
    clock = new Date();
    const colleague = await makeUser(real.server.deps.db, real.admin.partnerId, 'partner_user');
    const stranger = await makeUser(real.server.deps.db, (await makePartner(real.server.deps.db)).id, 'partner_admin');
    for (const next of [colleague, stranger]) {
      expect((await session.login({ email: next.email, password: next.password })).user?.id).toBe(next.id);
      expect(countPendingDrafts(session.requireCache().db)).toBe(0);
      const seen = everything();
      for (const canary of ['first-user-canary', 'first-user-draft', '9q9q']) expect(seen).not.toContain(canary);
      // Drafts typed by the first user are not in any file the next one opens: one file per user.
      expect(await readdir(dir)).toContain(cacheFileName(real.url, real.admin.id, real.admin.partnerId));
      expect(await readdir(dir)).toContain(cacheFileName(real.url, next.id, next.partnerId));
      expect((await session.logout(false)).state).toBe('signedOut');
      expect((await readdir(dir)).filter((n) => n.startsWith(userCachePrefix(real.url, next.id)))).toEqual([]);
    }

    await login();
    expect(countPendingDrafts(session.requireCache().db)).toBe(1);
    expect(everything()).toContain('first-user-draft');
  });

  it('with a memory-only token store, a restart keeps the cache but asks to sign in again', async () => {
    makeSession(memoryTokenStore('No OS keyring: sign in again after each start'));
    await login();
    await session.close();
    makeSession(memoryTokenStore('No OS keyring: sign in again after each start'));
    await session.restore();
    expect(session.status()).toMatchObject({ state: 'expired', tokenStorage: 'memory', tokenStorageNote: expect.stringContaining('keyring') });
  });

  it('logout refuses while drafts are pending, and with force deletes the user cache', async () => {
    makeSession();
    await login();
    const { db } = session.requireWritable();
    seedMirror(db, syncroDetail({ version: 2 }));
    saveDraft(db, aesGcmSecretBox(Buffer.alloc(32, 1)), { integrationKey: 'syncro', kind: 'delete', values: {} });
    const file = cacheFileName(real.url, real.admin.id, real.admin.partnerId);
    expect(await readdir(dir)).toContain(file);

    await expect(session.logout(false)).rejects.toMatchObject({ code: 'CONFLICT', details: { pendingDrafts: 1 } });
    expect(session.status().state).toBe('signedIn');
    expect(await readdir(dir)).toContain(file);

    expect((await session.logout(true)).state).toBe('signedOut');
    const left = await readdir(dir);
    expect(left.filter((n) => n.startsWith('cache-'))).toEqual([]);
    expect(left).not.toContain('token.json');
  });

  it('keeps technicians read-only', async () => {
    const tech = await makeUser(real.server.deps.db, real.admin.partnerId, 'partner_user');
    makeSession();
    expect((await session.login({ email: tech.email, password: tech.password })).readOnly).toBe(true);
    expect(() => session.requireCache()).not.toThrow();
    expect(() => session.requireWritable()).toThrow(/Only partner admins/);
  });

  it('lets only the dev partner look at another partner, read-only and in a cache of its own', async () => {
    makeSession();
    await login();
    await expect(session.switchPartner(real.admin.partnerId + 1000)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const dev = await makePartner(real.server.deps.db, { isDev: true });
    const operator = await makeUser(real.server.deps.db, dev.id, 'partner_admin');
    await session.login({ email: operator.email, password: operator.password });
    const status = await session.switchPartner(real.admin.partnerId);
    expect(status).toMatchObject({ viewingPartnerId: real.admin.partnerId, readOnly: true });
    expect(() => session.requireWritable()).toThrow(/read-only/);
    expect(await readdir(dir)).toContain(cacheFileName(real.url, operator.id, real.admin.partnerId));
    expect((await session.switchPartner(dev.id)).readOnly).toBe(false);
  });
});
