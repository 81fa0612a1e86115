import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coresOf } from '../test/cores.js';
import { SyncServer, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// Version history and rollback through the desktop core, over the real server and PostgreSQL:
// the list with its diffs, a rollback that the cached detail shows at once, a stale base refused,
// technicians read only; offline the list is the copy last read, and a rollback is a draft that
// is sent when the server answers again (and a conflict when someone changed it meanwhile).

let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
const cores = coresOf(() => server);

beforeAll(async () => {
  server = await SyncServer.start();
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  const configured = await server.rest('POST', '/api/integrations/testvendor/configure', admin, {
    settings: { subdomain: 'first', api_token: 'tok_first_value_0001', region: 'us', notes: 'n1' },
  });
  expect(configured.status, JSON.stringify(configured.json())).toBe(201);
  const edited = await server.rest('POST', '/api/integrations/testvendor/reconfigure', admin, { settings: { subdomain: 'second', api_token: '********', region: 'us', notes: 'n1' }, baseVersion: 1 });
  expect(edited.status, JSON.stringify(edited.json())).toBe(200);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const signedIn = (user: SyncUser) => cores.signedIn(user);

describe('configuration versions in the desktop core', () => {
  it('lists the versions newest first with their diffs, and a technician reads them but cannot roll back', async () => {
    const h = await signedIn(tech);
    const { items } = await h.core.services.integrations.versions('testvendor');
    expect(items.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const second = items.find((v) => v.version === 2);
    expect(second?.changes).toContainEqual({ field: 'subdomain', before: 'first', after: 'second', secret: false });
    await expect(h.core.services.integrations.rollback({ key: 'testvendor', toVersion: 1, baseVersion: 2 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('rolls back as a new version, the cached detail shows it before the call answers, and a stale base is a conflict', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.integrations;
    const before = h.core.services.catalog.get('testvendor').detail;
    expect(before.settings?.subdomain).toBe('second');
    const base = before.state.version ?? 0;

    const outcome = await api.rollback({ key: 'testvendor', toVersion: 1, baseVersion: base });
    if (outcome.outcome !== 'applied') throw new Error(`expected applied, got ${outcome.outcome}`);
    const restored = outcome.detail;
    expect(restored.settings?.subdomain).toBe('first');
    expect(restored.state.version).toBe(base + 1);
    // The cache was refreshed before the answer, as after an applied save.
    const cached = h.core.services.catalog.get('testvendor').detail;
    expect([cached.settings?.subdomain, cached.state.version]).toEqual(['first', base + 1]);

    const { items } = await api.versions('testvendor');
    expect(items[0]).toMatchObject({ version: base + 1, current: true, restoredFrom: 1 });
    expect(items[0]?.changes).toContainEqual({ field: 'subdomain', before: 'second', after: 'first', secret: false });

    await expect(api.rollback({ key: 'testvendor', toVersion: 2, baseVersion: base })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(api.rollback({ key: 'testvendor', toVersion: 999, baseVersion: base + 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('offline, the list is the copy last read and a rollback is queued, then applied on reconnect', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.integrations;
    const online = await api.versions('testvendor');
    expect(online.savedAt).toBeUndefined();
    const base = h.core.services.catalog.get('testvendor').detail.state.version ?? 0;
    const target = online.items.find((v) => !v.current && v.version !== base - 1) ?? online.items[1];
    if (!target) throw new Error('no older version');

    await server.down();
    await h.core.services.sync.now();
    const copy = await api.versions('testvendor');
    expect(copy.items).toEqual(online.items);
    expect(Date.parse(copy.savedAt ?? '')).toBeGreaterThan(0);
    // Credential ages are not copied: they keep saying they need the server.
    await expect(api.credentialAge('testvendor')).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    const queued = await api.rollback({ key: 'testvendor', toVersion: target.version, baseVersion: base });
    if (queued.outcome !== 'drafted') throw new Error('expected a draft');
    expect(queued.draft).toMatchObject({ state: 'queued', restoreFrom: target.version, baseVersion: base, kind: 'reconfigure' });
    // A second rollback of the same integration waits for the first.
    await expect(api.rollback({ key: 'testvendor', toVersion: target.version, baseVersion: base })).rejects.toMatchObject({ code: 'CONFLICT' });

    await server.up();
    await h.core.services.sync.now();
    await waitFor(() => h.core.services.drafts.get(queued.draft.id).state === 'applied');
    expect(h.core.services.catalog.get('testvendor').detail.state.version).toBe(base + 1);
    const after = await api.versions('testvendor');
    expect(after.savedAt).toBeUndefined();
    expect(after.items[0]).toMatchObject({ version: base + 1, current: true, restoredFrom: target.version, actor: admin.email });
  });

  it('a rollback drafted offline over a change made meanwhile is a conflict; "mine" rolls back over the newer version', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.integrations;
    h.core.services.sync.setReviewMode(true);
    const base = h.core.services.catalog.get('testvendor').detail.state.version ?? 0;
    await server.down();
    await h.core.services.sync.now();
    const drafted = await api.rollback({ key: 'testvendor', toVersion: 1, baseVersion: base });
    if (drafted.outcome !== 'drafted') throw new Error('expected a draft');
    // Review mode: it waits in Pending changes, unsent.
    expect(drafted.draft.state).toBe('draft');

    await server.up();
    const edited = await server.rest('POST', '/api/integrations/testvendor/reconfigure', admin, { settings: { subdomain: 'meanwhile', api_token: '********', region: 'us', notes: 'n1' }, baseVersion: base });
    expect(edited.status, JSON.stringify(edited.json())).toBe(200);
    await h.core.services.sync.now();
    await waitFor(() => h.core.services.drafts.get(drafted.draft.id).state === 'conflict');

    const requeued = await h.core.services.drafts.resolve({ id: drafted.draft.id, outcome: 'mine' });
    expect(requeued).toMatchObject({ baseVersion: base + 1, restoreFrom: 1 });
    await h.core.services.sync.now();
    await waitFor(() => h.core.services.drafts.get(drafted.draft.id).state === 'applied');
    const detail = h.core.services.catalog.get('testvendor').detail;
    expect([detail.settings?.subdomain, detail.state.version]).toEqual(['first', base + 2]);
  });

  it('offline, a list never read and a technician\'s rollback say why', async () => {
    const h = await signedIn(tech);
    await server.down();
    await h.core.services.sync.now();
    await expect(h.core.services.integrations.versions('testvendor')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/needs a connection/) });
    await expect(h.core.services.integrations.rollback({ key: 'testvendor', toVersion: 1, baseVersion: 2 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
