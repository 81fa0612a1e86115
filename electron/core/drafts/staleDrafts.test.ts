import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCore, removeDir, SyncServer, type CoreHandle, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// A draft whose base the change feed makes stale, against the real server: the pull that brings
// the newer version rebases it or puts it in conflict, before anyone presses Apply.

let server: SyncServer;
let admin: SyncUser;
let colleague: SyncUser;
const open: CoreHandle[] = [];
const start = { subdomain: 'start', api_token: 'tok_start_value_0001', region: 'us', notes: 'n0' };

beforeAll(async () => {
  server = await SyncServer.start();
  const partner = await server.partner();
  admin = await server.user(partner.id);
  colleague = await server.user(partner.id);
});
beforeEach(async () => {
  await server.deps.db.pool.query('DELETE FROM integration_configurations; DELETE FROM integration_audit_logs');
  expect((await server.rest('POST', '/api/integrations/testvendor/configure', colleague, { settings: start })).status).toBe(201);
});
afterEach(async () => {
  const closing = open.splice(0);
  await Promise.all(closing.map((h) => h.close()));
  await Promise.all(closing.map((h) => removeDir(h.dir)));
});
afterAll(() => server.close());

/** A signed-in, synced core with review on, so drafts wait for Apply. */
async function core(): Promise<CoreHandle> {
  const h = await openCore(server.url);
  open.push(h);
  await h.core.services.session.login({ email: admin.email, password: admin.password });
  await waitFor(() => h.core.services.catalog.list().find((c) => c.key === 'testvendor')?.state.version === 1);
  h.core.services.sync.setReviewMode(true);
  return h;
}

const colleagueEdits = async (values: Record<string, string>, baseVersion: number) =>
  expect((await server.rest('POST', '/api/integrations/testvendor/reconfigure', colleague, { settings: { ...start, api_token: '', ...values }, baseVersion })).status).toBe(200);
const serverSettings = async () =>
  (await server.deps.db.pool.query<{ settings: Record<string, unknown> }>("SELECT settings FROM integration_configurations WHERE integration_key = 'testvendor'")).rows[0]?.settings;

describe('a draft the change feed makes stale', () => {
  it('is a conflict as soon as the newer version is pulled when both changed a field, counted and naming who and when', async () => {
    const h = await core();
    const draft = h.core.services.drafts.save({ integrationKey: 'testvendor', kind: 'reconfigure', values: { ...start, subdomain: 'mine' } });
    expect(h.core.services.sync.status().conflictDrafts).toBe(0);

    await colleagueEdits({ subdomain: 'theirs' }, 1);
    await waitFor(() => h.core.services.drafts.get(draft.id).state === 'conflict');
    await waitFor(() => h.core.services.drafts.get(draft.id).serverChange?.action === 'reconfigured');
    const stale = h.core.services.drafts.get(draft.id);
    const updatedAt = h.core.services.catalog.get('testvendor').detail.state.updatedAt;
    expect(stale).toMatchObject({
      baseVersion: 1,
      server: { state: { version: 2 }, settings: { subdomain: 'theirs' } },
      merge: { overlapping: ['subdomain'] },
      serverChange: { actor: colleague.email, action: 'reconfigured', at: updatedAt },
    });
    expect(h.core.services.sync.status()).toMatchObject({ conflictDrafts: 1, pendingDrafts: 1, pendingMutations: 0 });
    // Nothing was sent: Apply skips a conflict, it is resolved instead.
    expect(await serverSettings()).toMatchObject({ subdomain: 'theirs' });

    const resolved = await h.core.services.drafts.resolve({ id: draft.id, outcome: 'mine', choices: { subdomain: 'mine' } });
    expect(resolved).toMatchObject({ state: 'queued', baseVersion: 2 });
    await waitFor(() => h.core.services.drafts.get(draft.id).state === 'applied');
    expect(await serverSettings()).toMatchObject({ subdomain: 'mine' });
  });

  it('is rebased without a conflict when the server changed only fields the draft leaves alone', async () => {
    const h = await core();
    const draft = h.core.services.drafts.save({ integrationKey: 'testvendor', kind: 'reconfigure', values: { ...start, notes: 'my note' } });
    await colleagueEdits({ subdomain: 'theirs' }, 1);
    await waitFor(() => h.core.services.drafts.get(draft.id).baseVersion === 2);
    expect(h.core.services.drafts.get(draft.id)).toMatchObject({ state: 'draft', values: { subdomain: 'theirs', notes: 'my note' }, base: { subdomain: 'theirs' } });
    expect(h.core.services.sync.status().conflictDrafts).toBe(0);

    const [applied] = await h.core.services.drafts.applyNow([draft.id]);
    expect(applied?.state).toBe('applied');
    expect(await serverSettings()).toMatchObject({ subdomain: 'theirs', notes: 'my note' });
  });

  it('a conflict already shown follows the server’s newer versions, so resolving it does not conflict again', async () => {
    const h = await core();
    const draft = h.core.services.drafts.save({ integrationKey: 'testvendor', kind: 'reconfigure', values: { ...start, subdomain: 'mine' } });
    await colleagueEdits({ subdomain: 'theirs' }, 1);
    await waitFor(() => h.core.services.drafts.get(draft.id).state === 'conflict');
    await colleagueEdits({ subdomain: 'theirs', notes: 'later' }, 2);
    await waitFor(() => h.core.services.drafts.get(draft.id).server?.state.version === 3);
    expect(h.core.services.drafts.get(draft.id).merge).toMatchObject({ overlapping: ['subdomain'], fromServer: ['notes'] });

    await h.core.services.drafts.resolve({ id: draft.id, outcome: 'mine', choices: { subdomain: 'mine' } });
    await waitFor(() => h.core.services.drafts.get(draft.id).state === 'applied');
    expect(await serverSettings()).toMatchObject({ subdomain: 'mine', notes: 'later' });
  });

  it('deleting what someone changed meanwhile is a conflict; a draft whose base is current is left alone', async () => {
    const h = await core();
    const other = h.core.services.drafts.save({ integrationKey: 'otherbackup', kind: 'configure', values: { login: 'l' } });
    const del = h.core.services.drafts.save({ integrationKey: 'testvendor', kind: 'delete', values: {} });
    await colleagueEdits({ notes: 'kept' }, 1);
    await waitFor(() => h.core.services.drafts.get(del.id).state === 'conflict');
    expect(h.core.services.drafts.get(other.id)).toMatchObject({ state: 'draft', baseVersion: null, values: { login: 'l' } });
    expect(h.core.services.sync.status().conflictDrafts).toBe(1);
  });
});
