import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../shared/integrations/fields.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';
import { makeUser } from '../test/factories.js';

describe('integration catalog API', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    w.vendor.outcome = 'ok';
    w.vendor.acceptedTokens = 'any';
    w.vendor.checks.length = 0;
    await w.server.deps.db.pool.query('DELETE FROM integration_configurations; DELETE FROM integration_audit_logs');
  });

  it('lists every registry entry with this partner status, filters by category and searches text', async () => {
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    const all = (await w.request('GET', '/api/integrations', w.a.tech)).json();
    expect(all.items.map((i: { key: string; state: { status: string } }) => [i.key, i.state.status])).toEqual([
      ['testvendor', 'Configured'],
      ['otherbackup', 'Not Configured'],
    ]);
    expect(all.items[0]).not.toHaveProperty('fields');
    const backup = (await w.request('GET', '/api/integrations?category=Backup', w.a.tech)).json();
    expect(backup.items.map((i: { key: string }) => i.key)).toEqual(['otherbackup']);
    for (const q of ['offsite', 'TEST VENDOR INC', 'controL']) {
      expect((await w.request('GET', `/api/integrations?q=${encodeURIComponent(q)}`, w.a.tech)).json().items).toHaveLength(1);
    }
    expect((await w.request('GET', '/api/integrations?q=nothing-matches', w.a.tech)).json().items).toEqual([]);
    expect((await w.request('GET', '/api/integrations?category=Nope', w.a.tech)).statusCode).toBe(400);
  });

  it('configures, shows masked settings, and refuses a second configure with 409 and the current state', async () => {
    const token = 'tok_visible_only_as_last4_WXYZ';
    const created = await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, {
      settings: validSettings({ api_token: token, base_url: 'https://vendor.example/', verify_tls: true }),
    });
    expect(created.statusCode).toBe(201);
    const detail = created.json();
    expect(detail.state).toMatchObject({ status: 'Configured', health: 'unknown', version: 1, consecutiveFailures: 0 });
    expect(detail.settings).toEqual({
      subdomain: 'acme',
      api_token: { isSet: true, last4: 'WXYZ' },
      webhook_secret: { isSet: false, last4: null },
      region: 'us',
      base_url: 'https://vendor.example', // normalised by the plugin's configure hook
      verify_tls: true,
    });
    expect(detail.fields.map((f: { kind: string }) => f.kind)).toEqual(['Text', 'Secret', 'Secret', 'Select', 'Url', 'Bool', 'Text']);
    expect((await w.request('GET', '/api/integrations/testvendor', w.a.tech)).json()).toEqual(detail);

    const again = await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toEqual(detail);
  });

  it('shows an unconfigured entry as Not Configured and answers 404 for unknown keys', async () => {
    const detail = (await w.request('GET', '/api/integrations/otherbackup', w.a.tech)).json();
    expect(detail.state).toMatchObject({ status: 'Not Configured', version: null, lastHealthCheck: null });
    expect(detail.settings).toBeNull();
    for (const [method, url] of [
      ['GET', '/api/integrations/nosuch'],
      ['POST', '/api/integrations/nosuch/configure'],
      ['DELETE', '/api/integrations/nosuch'],
      ['GET', '/api/integrations/nosuch/audit'],
      ['GET', '/api/integrations/Not%20A%20Key'],
    ]) {
      const res = await w.request(method as string, url as string, w.a.admin, method === 'POST' ? { settings: validSettings() } : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await w.request('POST', '/api/integrations/otherbackup/reconfigure', w.a.admin, { settings: {} })).statusCode).toBe(404);
    expect((await w.request('DELETE', '/api/integrations/otherbackup', w.a.admin)).statusCode).toBe(404);
    expect((await w.request('POST', '/api/integrations/otherbackup/test', w.a.admin)).statusCode).toBe(404);
  });

  it('reconfigures: the mask, a blank or an omitted secret keeps it; a stale baseVersion is a 409 with the current state', async () => {
    const token = 'tok_original_secret_1234';
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings({ api_token: token }) });
    for (const [round, api_token] of [SECRET_MASK, '', undefined].entries()) {
      const settings = { subdomain: `acme${round}`, region: 'eu', ...(api_token === undefined ? {} : { api_token }) };
      const res = await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings, baseVersion: round + 1 });
      expect(res.statusCode).toBe(200);
      expect(res.json().state.version).toBe(round + 2);
      expect(res.json().settings.api_token).toEqual({ isSet: true, last4: '1234' });
    }
    await w.request('POST', '/api/integrations/testvendor/test', w.a.admin);
    expect(w.vendor.checks.at(-1)).toMatchObject({ api_token: token, subdomain: 'acme2', region: 'eu' });

    const stale = await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, {
      settings: validSettings(),
      baseVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.state.version).toBe(4);
    expect(stale.json().error.details.settings.subdomain).toBe('acme2');

    const replaced = await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, {
      settings: validSettings({ api_token: 'tok_replacement_secret_9876' }),
    });
    expect(replaced.json().settings.api_token).toEqual({ isSet: true, last4: '9876' });
  });

  it('tests the saved configuration: records status, health and failures, and audits the test', async () => {
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    const ok = (await w.request('POST', '/api/integrations/testvendor/test', w.a.admin)).json();
    // The plugin gets the vendor settings of the configuration, never the server's own credentials.
    expect(w.server.deps.config).toMatchObject({ databaseUrl: expect.any(String), encryptionKeys: expect.any(String) });
    expect(w.vendor.configs.at(-1)).toMatchObject({ databaseUrl: undefined, encryptionKeys: undefined, jwt: { secret: undefined } });
    expect(ok).toMatchObject({ health: 'ok', draft: false, recorded: true, message: null });
    expect(ok.detail.state).toMatchObject({ status: 'Active', health: 'ok', consecutiveFailures: 0, errorMessage: null });
    expect(ok.detail.state.lastOkAt).toBe(ok.detail.state.lastHealthCheck);

    w.vendor.outcome = 'degraded';
    w.vendor.message = 'No permission to read tickets';
    const degraded = (await w.request('POST', '/api/integrations/testvendor/test', w.a.admin)).json();
    expect(degraded.detail.state).toMatchObject({ status: 'Active', health: 'degraded', errorMessage: 'No permission to read tickets' });

    w.vendor.outcome = 'error';
    w.vendor.message = 'Vendor says no';
    await w.request('POST', '/api/integrations/testvendor/test', w.a.admin);
    const failed = (await w.request('POST', '/api/integrations/testvendor/test', w.a.admin)).json();
    expect(failed.detail.state).toMatchObject({ status: 'Error', health: 'error', consecutiveFailures: 2, errorMessage: 'Vendor says no' });
    expect(failed.detail.state.lastOkAt).toBe(degraded.detail.state.lastOkAt);
    expect(failed.detail.state.version).toBe(1); // health is not an edit

    const audit = (await w.request('GET', '/api/integrations/testvendor/audit?action=tested', w.a.tech)).json();
    expect(audit.items.map((e: { details: { health: string } }) => e.details.health)).toEqual(['error', 'error', 'degraded', 'ok']);
    // A test's row says what it found; the transition it caused is the health_changed row's.
    expect(audit.items[3]).toMatchObject({ userId: w.a.admin.id, actorKind: 'user', details: { health: 'ok' } });
    expect(audit.items[3].details.fromStatus).toBeUndefined();
  });

  it('records the check an app runs right after its own save as automatic: the system, no `tested` row', async () => {
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    const first = (await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, { afterSave: true })).json();
    expect(first).toMatchObject({ health: 'ok', recorded: true, detail: { state: { status: 'Active' } } });
    // Checked now, it is no longer the unchecked edit: the same flag is an ordinary test by the admin.
    await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, { afterSave: true });
    const items = (await w.request('GET', '/api/integrations/testvendor/audit', w.a.tech)).json().items;
    expect(items.map((e: { action: string; userId: number | null; actorKind: string }) => [e.action, e.actorKind, e.userId])).toEqual([
      ['tested', 'user', w.a.admin.id],
      ['health_changed', 'system', null],
      ['configured', 'user', w.a.admin.id],
    ]);
    expect(items[1]).toMatchObject({ userId: null, details: { fromStatus: 'Configured', toStatus: 'Active', health: 'ok' } });

    // Another admin's unchecked edit is not theirs to pass off as automatic.
    const current = (await w.request('GET', '/api/integrations/testvendor', w.a.admin)).json();
    const made = await makeUser(w.server.deps.db, w.a.id, 'partner_admin');
    const token = await w.server.tokenFor(made);
    const colleague = { id: made.id, partnerId: w.a.id, role: 'partner_admin' as const, token, auth: `Bearer ${token}` };
    await w.request('POST', '/api/integrations/testvendor/reconfigure', colleague, { settings: validSettings(), baseVersion: current.state.version });
    await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, { afterSave: true });
    const latest = (await w.request('GET', '/api/integrations/testvendor/audit?limit=1', w.a.tech)).json().items[0];
    expect(latest).toMatchObject({ action: 'tested', actorKind: 'user', userId: w.a.admin.id });
  });

  it('tests a draft merged with the stored secrets and persists nothing', async () => {
    const token = 'tok_stored_for_draft_0001';
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings({ api_token: token }) });
    const before = (await w.request('GET', '/api/integrations/testvendor', w.a.admin)).json();
    const auditBefore = (await w.request('GET', '/api/integrations/testvendor/audit', w.a.admin)).json();

    w.vendor.acceptedTokens = new Set([token]);
    const draft = await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, {
      settings: { subdomain: 'draftsub', region: 'eu', api_token: SECRET_MASK },
    });
    expect(draft.json()).toMatchObject({ health: 'ok', draft: true, recorded: false });
    expect(w.vendor.checks.at(-1)).toMatchObject({ subdomain: 'draftsub', api_token: token });

    const refused = await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, {
      settings: { subdomain: 'draftsub', region: 'eu', api_token: 'tok_wrong_draft_token_55' },
    });
    expect(refused.json()).toMatchObject({ health: 'error', draft: true });
    expect((await w.request('GET', '/api/integrations/testvendor', w.a.admin)).json()).toEqual(before);
    expect((await w.request('GET', '/api/integrations/testvendor/audit', w.a.admin)).json()).toEqual(auditBefore);

    // A draft for an integration not configured yet is checked like a new configuration.
    const fresh = await w.request('POST', '/api/integrations/otherbackup/test', w.a.admin, { settings: { login: 'me', password: 'pw-123456' } });
    expect(fresh.json()).toMatchObject({ health: 'ok', draft: true, recorded: false });
    expect(fresh.json().detail.state.status).toBe('Not Configured');
    const incomplete = await w.request('POST', '/api/integrations/otherbackup/test', w.a.admin, { settings: { login: 'me' } });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.fields).toEqual({ 'settings.password': [expect.stringMatching(/expected string|required/)] });
  });

  it('lets a technician test the saved configuration, audited as theirs, but not unsaved settings', async () => {
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    const tested = await w.request('POST', '/api/integrations/testvendor/test', w.a.tech);
    expect(tested.statusCode).toBe(200);
    expect(tested.json()).toMatchObject({ health: 'ok', draft: false, recorded: true, detail: { state: { status: 'Active', version: 1 } } });
    const audit = (await w.request('GET', '/api/integrations/testvendor/audit?action=tested', w.a.admin)).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ userId: w.a.tech.id, details: { health: 'ok' } });

    const checks = w.vendor.checks.length;
    for (const settings of [validSettings({ subdomain: 'probe' }), { subdomain: 'probe', region: 'us', api_token: SECRET_MASK }]) {
      const refused = await w.request('POST', '/api/integrations/testvendor/test', w.a.tech, { settings });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/Only partner admins can test unsaved settings/) });
    }
    // Refused before the vendor is called, and nothing more is audited.
    expect(w.vendor.checks).toHaveLength(checks);
    expect((await w.request('GET', '/api/integrations/testvendor/audit?action=tested', w.a.admin)).json().items).toHaveLength(1);
    // Bad input is still a 400 with its fields, whoever sends it.
    expect((await w.request('POST', '/api/integrations/testvendor/test', w.a.tech, { settings: 'x' })).statusCode).toBe(400);
  });

  it('bounds a health check that never answers', async () => {
    const slow = await createCatalogWorld({ pluginTimeoutMs: 200 });
    try {
      slow.vendor.outcome = 'hang';
      await slow.request('POST', '/api/integrations/testvendor/configure', slow.a.admin, { settings: validSettings() });
      const res = await slow.request('POST', '/api/integrations/testvendor/test', slow.a.admin);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ health: 'error', message: 'No answer within 0.2 s', recorded: true });
      expect(res.json().detail.state.status).toBe('Error');
    } finally {
      await slow.close();
    }
  });

  it('audits a test whose settings were edited while it ran, without applying its result', async () => {
    const slow = await createCatalogWorld({ pluginTimeoutMs: 1_500 });
    try {
      await slow.request('POST', '/api/integrations/testvendor/configure', slow.a.admin, { settings: validSettings() });
      slow.vendor.outcome = 'hang';
      const checks = slow.vendor.checks.length;
      const testing = slow.request('POST', '/api/integrations/testvendor/test', slow.a.admin);
      while (slow.vendor.checks.length === checks) await new Promise((r) => setTimeout(r, 10));
      const edit = await slow.request('POST', '/api/integrations/testvendor/reconfigure', slow.a.admin, { settings: validSettings({ subdomain: 'edited-meanwhile' }) });
      expect(edit.statusCode).toBe(200);
      const res = await testing;
      expect(res.json()).toMatchObject({ health: 'error', recorded: false });
      expect(res.json().detail.state.status).toBe('Configured');
      const audit = (await slow.request('GET', '/api/integrations/testvendor/audit', slow.a.admin)).json();
      expect(audit.items[0]).toMatchObject({ action: 'tested', details: { health: 'error', message: 'No answer within 1.5 s (not applied: the settings changed while the check ran)' } });
      expect(audit.items[0].details.toStatus).toBeUndefined();
    } finally {
      await slow.close();
    }
  });

  it('turns a plugin exception into an Error result without its message', async () => {
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings({ api_token: 'tok_thrown_secret_42424242' }) });
    w.vendor.outcome = 'throw';
    const res = await w.request('POST', '/api/integrations/testvendor/test', w.a.admin);
    expect(res.json()).toMatchObject({ health: 'error', message: 'The health check failed unexpectedly' });
    expect(res.body + w.server.logs.text()).not.toContain('tok_thrown_secret_42424242');
  });

  it('deletes the row and its secrets, audits it, and keeps the trail', async () => {
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    const res = await w.request('DELETE', '/api/integrations/testvendor', w.a.admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ key: 'testvendor', deleted: true });
    const { rows } = await w.server.deps.db.pool.query('SELECT 1 FROM integration_configurations WHERE partner_id = $1', [w.a.id]);
    expect(rows).toEqual([]);
    expect((await w.request('GET', '/api/integrations/testvendor', w.a.admin)).json().state.status).toBe('Not Configured');
    const audit = (await w.request('GET', '/api/integrations/testvendor/audit?limit=1', w.a.admin)).json();
    expect(audit.items[0]).toMatchObject({ action: 'deleted', userId: w.a.admin.id, details: { toStatus: 'Not Configured' } });
    expect(audit.items[0].details.changes).toContainEqual({ field: 'api_token', before: 'set', after: 'cleared', secret: true });
    // A stale delete is refused like a stale edit.
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: validSettings() });
    expect((await w.request('DELETE', '/api/integrations/testvendor?baseVersion=1', w.a.admin)).statusCode).toBe(409);
    expect((await w.request('DELETE', '/api/integrations/testvendor?baseVersion=2', w.a.admin)).statusCode).toBe(200);
  });

  it('audits field-level changes with secrets only as set/changed, newest first, keyset-paginated', async () => {
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, {
      settings: validSettings({ api_token: 'tok_audit_first_value', notes: 'hello' }),
    });
    await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, {
      settings: { subdomain: 'acme', region: 'eu', api_token: 'tok_audit_second_value', notes: 'hello' },
    });
    const page = (await w.request('GET', '/api/integrations/testvendor/audit?action=reconfigured&limit=1', w.a.tech)).json();
    expect(page.items[0]).toMatchObject({ action: 'reconfigured', actor: expect.stringContaining('@'), userId: w.a.admin.id });
    expect(page.items[0].details.changes).toEqual([
      { field: 'api_token', before: 'set', after: 'changed', secret: true },
      { field: 'region', before: 'us', after: 'eu', secret: false },
    ]);
    const configured = (await w.request('GET', '/api/integrations/testvendor/audit?action=configured&limit=1', w.a.tech)).json();
    expect(configured.items[0].details.changes).toContainEqual({ field: 'api_token', before: null, after: 'set', secret: true });

    // Walk every page of a longer trail with a small limit.
    for (let i = 0; i < 5; i++) await w.request('POST', '/api/integrations/testvendor/test', w.a.admin);
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: { id: number }[]; nextCursor: string | null } = (await w.request('GET', `/api/integrations/testvendor/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`, w.a.tech)).json();
      ids.push(...res.items.map((e) => e.id));
      cursor = res.nextCursor;
    } while (cursor);
    const { rows } = await w.server.deps.db.pool.query<{ id: number }>(
      `SELECT id FROM integration_audit_logs WHERE partner_id = $1 AND integration_key = 'testvendor' ORDER BY id DESC`,
      [w.a.id],
    );
    expect(ids).toEqual(rows.map((r) => r.id));
    expect((await w.request('GET', '/api/integrations/testvendor/audit?limit=101', w.a.tech)).statusCode).toBe(400);
    expect((await w.request('GET', '/api/integrations/testvendor/audit?cursor=abc', w.a.tech)).statusCode).toBe(400);
  });

  it('answers the same over tRPC, with the partner from the token only', async () => {
    const caller = w.server.caller(w.a.admin.auth);
    const detail = await caller.integrations.configure({ key: 'testvendor', settings: validSettings() });
    expect(detail.state.status).toBe('Configured');
    expect((await caller.integrations.list()).items).toHaveLength(2);
    await expect(caller.integrations.get({ key: 'testvendor', partnerId: w.b.id } as never)).rejects.toThrow();
  });

  it('documents every catalog and dev route in the OpenAPI document', async () => {
    const doc = (await w.request('GET', '/api/openapi.json')).json();
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /api/integrations',
        'GET /api/integrations/{key}',
        'POST /api/integrations/{key}/configure',
        'POST /api/integrations/{key}/reconfigure',
        'POST /api/integrations/{key}/test',
        'DELETE /api/integrations/{key}',
        'GET /api/integrations/{key}/audit',
        'GET /api/dev/partners',
        'GET /api/dev/partners/{partnerId}/integrations',
        'GET /api/dev/partners/{partnerId}/integrations/{key}',
        'GET /api/dev/partners/{partnerId}/integrations/{key}/audit',
      ]),
    );
    const reconfigure = doc.paths['/api/integrations/{key}/reconfigure'].post;
    expect(Object.keys(reconfigure.requestBody.content['application/json'].schema.properties)).toEqual(['settings', 'baseVersion']);
    expect(doc.paths['/api/integrations/{key}/audit'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:key',
      'query:action',
      'query:cursor',
      'query:limit',
    ]);
  });

  it('is hidden when FEATURE_INTEGRATION_CENTER is off', async () => {
    const off = await createCatalogWorld();
    try {
      off.server.deps.config.featureIntegrationCenter = false;
      expect((await off.request('GET', '/api/integrations', off.a.admin)).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
