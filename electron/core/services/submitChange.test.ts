import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { SaveDraftInput } from '../../../shared/localApi.js';
import { getMeta } from '../cache/syncMeta.js';
import { openCore, removeDir, SyncServer, type CoreHandle, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// The configuration form's save (`drafts.submit`) against the real server and PostgreSQL, over
// real HTTP: review off sends it (now, or by itself on reconnect, exactly once), review on keeps
// it a draft; refusals leave nothing behind.

let server: SyncServer;
let admin: SyncUser;
let colleague: SyncUser;
const open: CoreHandle[] = [];
const good = { subdomain: 'acme', api_token: 'tok-1234', region: 'eu' };

beforeAll(async () => {
  server = await SyncServer.start();
  const partner = await server.partner();
  admin = await server.user(partner.id);
  colleague = await server.user(partner.id);
});
beforeEach(async () => {
  if (!server.app) await server.up();
  await server.deps.db.pool.query('DELETE FROM integration_configurations; DELETE FROM integration_audit_logs');
});
afterEach(async () => {
  const closing = open.splice(0);
  await Promise.all(closing.map((h) => h.close()));
  await Promise.all(closing.map((h) => removeDir(h.dir)));
});
afterAll(() => server.close());

async function core(options: { reviewMode?: boolean } = {}): Promise<CoreHandle> {
  const h = await openCore(server.url);
  open.push(h);
  await h.core.services.session.login({ email: admin.email, password: admin.password });
  await waitFor(() => h.core.services.sync.status().lastSyncedAt);
  if (options.reviewMode) h.core.services.sync.setReviewMode(true);
  return h;
}

const submit = (h: CoreHandle, input: SaveDraftInput) => h.core.services.drafts.submit(input);
const pending = (h: CoreHandle) => h.core.services.drafts.list().filter((d) => d.state !== 'applied');
const stateOf = (h: CoreHandle, id: number) => h.core.services.drafts.get(id).state;
const serverRow = async () =>
  (await server.deps.db.pool.query<{ settings: Record<string, unknown>; version: number }>("SELECT settings, version FROM integration_configurations WHERE integration_key = 'testvendor'")).rows[0];
const auditCount = async () => Number((await server.deps.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM integration_audit_logs WHERE action IN ('configured', 'reconfigured')")).rows[0]?.n);

async function goOffline(h: CoreHandle): Promise<void> {
  await server.down();
  await h.core.services.sync.now();
  await waitFor(() => h.core.services.sync.status().connection === 'offline');
}

describe('saving the form with review off', () => {
  it('online: applied on the server, the answer carries the new detail, no draft stays', async () => {
    const h = await core();
    const result = await submit(h, { integrationKey: 'testvendor', kind: 'configure', values: good });
    expect(result.outcome).toBe('applied');
    if (result.outcome === 'applied') expect(result.detail.settings).toMatchObject({ subdomain: 'acme', api_token: { isSet: true } });
    expect((await serverRow())?.settings).toMatchObject({ subdomain: 'acme' });
    expect(pending(h)).toEqual([]);
  });

  it('offline: queued at once, then sent by itself when the server is back, across a flapping connection, exactly once', async () => {
    const h = await core();
    await goOffline(h);
    const result = await submit(h, { integrationKey: 'testvendor', kind: 'configure', values: good });
    expect(result).toMatchObject({ outcome: 'drafted', draft: { state: 'queued', mutationId: 1 } });
    if (result.outcome !== 'drafted') throw new Error('expected the change to wait');
    expect(h.core.services.sync.status()).toMatchObject({ pendingMutations: 1, pendingDrafts: 1 });

    // The server comes back, applies the push, and dies before answering; then it is gone a
    // while (refused connections), then back for good. Nobody clicks anything meanwhile.
    let killed = false;
    await server.up({
      beforeListen: (app) =>
        app.addHook('onSend', async (req, reply, payload) => {
          if (!killed && req.url.startsWith('/trpc/sync.push') && reply.statusCode === 200) {
            killed = true;
            reply.raw.socket?.destroy();
            void server.down();
          }
          return payload;
        }),
    });
    await waitFor(() => killed && server.app === null, 10_000);
    expect(stateOf(h, result.draft.id)).toBe('queued');
    await h.core.services.sync.now();
    await server.up();
    await waitFor(() => stateOf(h, result.draft.id) === 'applied', 10_000);

    expect((await serverRow())?.settings).toMatchObject({ subdomain: 'acme' });
    expect(await auditCount()).toBe(1);
    const clientId = getMeta(h.core.session.requireCache().db, 'clientId');
    expect((await server.deps.db.pool.query('SELECT mutation_id FROM sync_mutations WHERE client_id = $1', [clientId])).rows).toEqual([{ mutation_id: 1 }]);

    // Once more down and up: nothing is sent again.
    await goOffline(h);
    await server.up();
    await waitFor(() => h.core.services.sync.status().connection === 'online', 10_000);
    await h.core.services.sync.now();
    expect(await auditCount()).toBe(1);
    expect((await serverRow())?.version).toBe(1);
    expect(h.core.services.sync.status()).toMatchObject({ pendingMutations: 0, pendingDrafts: 0, conflictDrafts: 0 });
  });

  it('offline, someone else changed the same field meanwhile: on reconnect the queued change comes back a conflict, counted, naming who', async () => {
    await server.rest('POST', '/api/integrations/testvendor/configure', colleague, { settings: good });
    const h = await core();
    await goOffline(h);
    const result = await submit(h, { integrationKey: 'testvendor', kind: 'reconfigure', values: { ...good, api_token: '', subdomain: 'mine' } });
    if (result.outcome !== 'drafted') throw new Error('expected the change to wait');
    // The colleague's edit reaches the server while this desktop cannot.
    const edit = await server.rest('POST', '/api/integrations/testvendor/reconfigure', colleague, { settings: { ...good, api_token: '', subdomain: 'theirs' }, baseVersion: 1 });
    expect(edit.status).toBe(200);
    await server.up();

    await waitFor(() => stateOf(h, result.draft.id) === 'conflict', 10_000);
    await waitFor(() => h.core.services.drafts.get(result.draft.id).serverChange?.action === 'reconfigured');
    expect(h.core.services.drafts.get(result.draft.id)).toMatchObject({
      merge: { overlapping: ['subdomain'] },
      server: { settings: { subdomain: 'theirs' } },
      serverChange: { actor: colleague.email, action: 'reconfigured', at: expect.any(String) },
    });
    expect(h.core.services.sync.status().conflictDrafts).toBe(1);
    expect((await serverRow())?.settings).toMatchObject({ subdomain: 'theirs' });
  });

  it('a refusal by the server’s rules throws its field errors and leaves no draft behind', async () => {
    const h = await core();
    const error = await submit(h, { integrationKey: 'testvendor', kind: 'configure', values: { ...good, webhook_secret: 'whs-1' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { 'settings.base_url': ['Set a base URL to receive webhooks'] } });
    expect(pending(h)).toEqual([]);
  });

  it('a refusal by the core’s own check (a required field missing) leaves no draft behind, offline too', async () => {
    const h = await core();
    await goOffline(h);
    await expect(submit(h, { integrationKey: 'testvendor', kind: 'configure', values: { subdomain: 'acme' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(pending(h)).toEqual([]);
  });

  it('a delete applies like a save: the answer is the integration Not Configured', async () => {
    await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings: good });
    const h = await core();
    const result = await submit(h, { integrationKey: 'testvendor', kind: 'delete', values: {} });
    expect(result.outcome).toBe('applied');
    if (result.outcome === 'applied') expect(result.detail.state.status).toBe('Not Configured');
    expect(await serverRow()).toBeUndefined();
  });
});

describe('saving the form with review on, or over an open draft', () => {
  it('review on: a draft, online or offline, and reconnecting sends nothing until it is applied', async () => {
    const h = await core({ reviewMode: true });
    const online = await submit(h, { integrationKey: 'testvendor', kind: 'configure', values: good });
    expect(online).toMatchObject({ outcome: 'drafted', draft: { state: 'draft', kind: 'configure', typedSecrets: ['api_token'] } });
    await goOffline(h);
    await submit(h, { integrationKey: 'otherbackup', kind: 'configure', values: { login: 'l', password: 'pw-123456' } });
    await server.up();
    await waitFor(() => h.core.services.sync.status().connection === 'online', 10_000);
    await h.core.services.sync.now();
    expect(pending(h).map((d) => d.state)).toEqual(['draft', 'draft']);
    expect(await serverRow()).toBeUndefined();

    const applied = await h.core.services.drafts.applyNow();
    expect(applied.map((d) => d.state)).toEqual(['applied', 'applied']);
    expect(await auditCount()).toBe(2);
  });

  it('an open draft is updated and keeps its kind, even with review off and online', async () => {
    const h = await core({ reviewMode: true });
    const first = await submit(h, { integrationKey: 'testvendor', kind: 'configure', values: good });
    h.core.services.sync.setReviewMode(false);
    const second = await submit(h, { integrationKey: 'testvendor', kind: 'reconfigure', values: { ...good, subdomain: 'acme-two' } });
    expect(second).toMatchObject({ outcome: 'drafted', draft: { state: 'draft', kind: 'configure', values: { subdomain: 'acme-two' } } });
    if (first.outcome === 'drafted' && second.outcome === 'drafted') expect(second.draft.id).toBe(first.draft.id);
    expect(await serverRow()).toBeUndefined();
  });
});
