import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEvent } from '../../../shared/localApi.js';
import { SECRET_MASK } from '../../../shared/integrations/fields.js';
import { createControllablePlugin, createTestVendor } from '../../../server/integrations/testing/controllablePlugin.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, syncTestPlugins, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';

// The local API's additions over the real server and PostgreSQL: apply-now, "Test connection",
// health history and the fleet matrix (cached for offline use), review mode, and events.

let server: SyncServer;
/** The test vendor behind `testvendor`: it records the settings each check was given. */
const vendor = createTestVendor();
let admin: SyncUser;
let tech: SyncUser;
let ops: SyncUser;
const cores = coresOf(() => server);

beforeAll(async () => {
  server = await SyncServer.start([createControllablePlugin({ vendor }).plugin, ...syncTestPlugins().slice(1)]);
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  ops = await server.user((await server.partner({ name: 'Platform', isDev: true })).id);
});
afterAll(() => server.close());

const signedIn = (user: SyncUser) => cores.signedIn(user);

const settings = { subdomain: 'acme', api_token: 'tok_acme_value_0001', region: 'us' };

/** The partner's configuration exists (made here, or by an earlier test). */
async function ensureConfigured(): Promise<void> {
  const res = await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings });
  expect([201, 409]).toContain(res.status);
}

describe('apply now, test connection and health history', () => {
  it('applies a draft and answers after the server did; tests it; the history is fetched, then kept offline', async () => {
    const h = await signedIn(admin);
    const api = h.core.services;
    const events: LocalEvent[] = [];
    const abort = new AbortController();
    void (async () => {
      for await (const e of api.events.stream(abort.signal)) events.push(e);
    })();

    const draft = api.drafts.save({ integrationKey: 'testvendor', kind: 'configure', values: settings });
    const [applied] = await api.drafts.applyNow([draft.id]);
    expect(applied?.state).toBe('applied');
    expect(api.catalog.get('testvendor').detail.state.status).toBe('Configured');
    await waitFor(() => events.some((e) => e.topics.includes('drafts') && !e.hello));

    const tested = await api.integrations.test('testvendor');
    expect(tested.health).toBe('ok');
    // The test's result was pulled before the call returned.
    expect(api.catalog.get('testvendor').detail.state.status).toBe('Active');
    const history = await api.monitoring.history('testvendor');
    expect(history.points.map((p) => [p.health, p.source])).toEqual([['ok', 'tested']]);
    expect(history.uptime).toMatchObject({ range: '24h', full: false, percent: 100 });
    // Another range is asked of the server and cached beside the default one.
    const week = await api.monitoring.history('testvendor', '7d');
    expect(week.uptime).toMatchObject({ range: '7d', percent: 100 });

    await server.down();
    await expect(api.integrations.test('testvendor')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await api.monitoring.history('testvendor')).points).toHaveLength(1);
    // Offline, each range answers from its own cached copy.
    expect((await api.monitoring.history('testvendor', '7d')).uptime?.range).toBe('7d');
    abort.abort();
  });

  it('a draft that fails review stays a draft with the reason; review mode is kept per cache', async () => {
    await ensureConfigured();
    const h = await signedIn(admin);
    const api = h.core.services;
    const draft = api.drafts.save({ integrationKey: 'testvendor', kind: 'reconfigure', values: { ...settings, subdomain: 'Not Valid' } });
    const [after] = await api.drafts.applyNow([draft.id]);
    expect(after).toMatchObject({ state: 'draft', error: { code: 'VALIDATION_FAILED', fields: { 'settings.subdomain': ['Use lowercase letters, digits and dashes'] } } });
    expect(api.sync.status().pendingDrafts).toBe(1);

    expect(api.sync.status().reviewMode).toBe(false);
    expect(api.sync.setReviewMode(true).reviewMode).toBe(true);
    expect(api.sync.status().reviewMode).toBe(true);
  });

  it("tests a draft's values with the secret typed into it, which the form sends back as the mask", async () => {
    await ensureConfigured();
    const h = await signedIn(admin);
    const api = h.core.services;
    api.drafts.save({ integrationKey: 'testvendor', kind: 'reconfigure', values: { ...settings, api_token: 'tok_typed_in_draft_7777' } });
    const checks = vendor.checks.length;
    await api.integrations.test('testvendor', { ...settings, api_token: SECRET_MASK });
    expect(vendor.checks.slice(checks).map((c) => c.api_token)).toEqual(['tok_typed_in_draft_7777']);
    // A value typed into the form right now wins over the draft's.
    await api.integrations.test('testvendor', { ...settings, api_token: 'tok_typed_just_now_8888' });
    expect(vendor.checks.at(-1)?.api_token).toBe('tok_typed_just_now_8888');
  });

  it('a technician tests the saved configuration (audited as theirs), but not typed values, and cannot apply', async () => {
    await ensureConfigured();
    expect((await server.rest('POST', '/api/integrations/testvendor/test', admin, {})).status).toBe(200);
    const h = await signedIn(tech);
    const checks = vendor.checks.length;
    // Typed values are refused before any vendor call: the core refuses, and the server would too.
    await expect(h.core.services.integrations.test('testvendor', { ...settings, subdomain: 'probe' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(vendor.checks).toHaveLength(checks);
    await expect(h.core.services.drafts.applyNow()).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect((await h.core.services.integrations.test('testvendor')).health).toBe('ok');
    expect(vendor.checks).toHaveLength(checks + 1);
    const audit = await server.rest('GET', '/api/integrations/testvendor/audit?action=tested&limit=1', admin);
    expect(audit.json()).toMatchObject({ items: [{ action: 'tested', userId: tech.id }] });
    // The core pulled the result before answering: the technician's cached audit shows it too.
    expect(h.core.services.audit.cached({ key: 'testvendor' }).entries[0]).toMatchObject({ action: 'tested', userId: tech.id });
    expect((await h.core.services.monitoring.history('testvendor')).points.length).toBeGreaterThan(0);
  });
});

describe('fleet matrix', () => {
  it('is fetched for the dev partner and kept for offline use; others are refused', async () => {
    await ensureConfigured();
    const h = await signedIn(ops);
    const view = await h.core.services.monitoring.fleet();
    expect(view.fetchedAt).not.toBeNull();
    expect(view.fleet?.rows.some((r) => r.partnerId === admin.partnerId && r.cells.testvendor !== undefined)).toBe(true);
    await server.down();
    expect((await h.core.services.monitoring.fleet()).fleet).toEqual(view.fleet);

    await server.up();
    const other = await signedIn(admin);
    await expect(other.core.services.monitoring.fleet()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reads every page of the fleet, and says when it stopped short', async () => {
    await ensureConfigured();
    for (let i = 0; i < 3; i++) await server.partner();
    const ids = (await server.server.deps.db.pool.query<{ id: number }>('SELECT id FROM partners ORDER BY id')).rows.map((r) => Number(r.id));
    expect(ids.length).toBeGreaterThan(4);
    const open = async (maxPages: number) => {
      const h = await cores.open({ extra: { fleetPaging: { pageSize: 2, maxPages } } });
      await h.core.services.session.login({ email: ops.email, password: ops.password });
      return (await h.core.services.monitoring.fleet()).fleet;
    };
    const all = await open(40);
    expect(all?.rows.map((r) => r.partnerId)).toEqual(ids);
    expect(all?.nextCursor).toBeNull();
    const cut = await open(2);
    expect(cut?.rows).toHaveLength(4);
    expect(cut?.nextCursor).not.toBeNull();
  });
});
