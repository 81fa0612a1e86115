import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigVersion } from '../../../shared/integrations/versions.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../../test/catalogWorld.js';
import { pluginSettings } from './settings.js';

let w: CatalogWorld;
const versions = async (who = w.a.admin) => (await w.request('GET', '/api/integrations/testvendor/versions', who)).json().items as ConfigVersion[];
const detail = async () => (await w.request('GET', '/api/integrations/testvendor', w.a.admin)).json();
const storedToken = async () => {
  const { rows } = await w.server.deps.db.pool.query('SELECT settings FROM integration_configurations WHERE partner_id = $1', [w.a.id]);
  return pluginSettings(w.server.deps.secrets, w.server.deps.registry.get('testvendor')!, w.a.id, rows[0].settings).api_token;
};

beforeAll(async () => {
  w = await createCatalogWorld();
  w.vendor.outcome = 'ok';
  // v1: the first save, checked and passing.
  expect((await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings({ subdomain: 'first', api_token: 'tok_first_0123456789' }) })).statusCode).toBe(201);
  expect((await w.request('POST', '/api/integrations/testvendor/test', w.a.admin)).json().health).toBe('ok');
  // v2: a new subdomain; v3: a new token that the vendor refuses (Error).
  expect((await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: { subdomain: 'second', region: 'us' } })).statusCode).toBe(200);
  expect((await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: { subdomain: 'second', region: 'us', api_token: 'tok_broken_0123456789' } })).statusCode).toBe(200);
  w.vendor.outcome = 'error';
  w.vendor.message = 'Token refused';
  expect((await w.request('POST', '/api/integrations/testvendor/test', w.a.admin)).json().health).toBe('error');
});
afterAll(() => w.close());

describe('configuration versions', () => {
  it('lists every saved version newest first with who, what changed (secrets only as changed) and which passed a check', async () => {
    const items = await versions(w.a.tech);
    expect(items.map((v) => [v.version, v.current, v.passedCheck])).toEqual([
      [3, true, false],
      [2, false, false],
      [1, false, true],
    ]);
    expect(items[0]?.changes).toEqual([{ field: 'api_token', before: 'set', after: 'changed', secret: true }]);
    expect(items[1]?.changes).toEqual([{ field: 'subdomain', before: 'first', after: 'second', secret: false }]);
    expect(items[2]?.changes.find((c) => c.field === 'api_token')).toEqual({ field: 'api_token', before: null, after: 'set', secret: true });
    expect(items[0]?.actorKind).toBe('user');
    const body = JSON.stringify(items);
    expect(body).not.toContain('tok_first');
    expect(body).not.toContain('tok_broken');
  });

  it('rolls back to the last passing version as a new version: settings and secret restored, audited, Active after its check', async () => {
    w.vendor.outcome = 'ok';
    const res = await w.request('POST', '/api/integrations/testvendor/rollback', w.a.admin, { toVersion: 1, baseVersion: 3 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().state.version).toBe(4);
    expect(res.json().settings.subdomain).toBe('first');
    expect(await storedToken()).toBe('tok_first_0123456789');
    const items = await versions();
    expect(items[0]).toMatchObject({ version: 4, current: true, restoredFrom: 1 });
    // Checked at once by the system: the answer already says Active.
    expect(res.json().state).toMatchObject({ status: 'Active', health: 'ok' });
    const audit = (await w.request('GET', '/api/integrations/testvendor/audit', w.a.admin)).json().items as { action: string; details: { message?: string } }[];
    expect(audit.find((e) => e.action === 'reconfigured')).toMatchObject({ details: { message: 'Rolled back to version 1' } });
    expect((await versions())[0]?.passedCheck).toBe(true);
  });

  it('refuses a stale base version (409), an unknown version (404), a technician (403), and changes nothing', async () => {
    const before = (await detail()).state.version;
    expect((await w.request('POST', '/api/integrations/testvendor/rollback', w.a.admin, { toVersion: 2, baseVersion: before - 1 })).statusCode).toBe(409);
    expect((await w.request('POST', '/api/integrations/testvendor/rollback', w.a.admin, { toVersion: 99, baseVersion: before })).statusCode).toBe(404);
    // Beyond any version there can be (found by the fuzzer: a 500 from PostgreSQL's integer range).
    const huge = await w.request('POST', '/api/integrations/testvendor/rollback', w.a.admin, { toVersion: 8550500277907510, baseVersion: before });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.fields).toHaveProperty('toVersion');
    expect((await w.request('POST', '/api/integrations/testvendor/rollback', w.a.tech, { toVersion: 2, baseVersion: before })).statusCode).toBe(403);
    // Partner B has no configuration: A's versions are not B's to restore.
    expect((await w.request('POST', '/api/integrations/testvendor/rollback', w.b.admin, { toVersion: 2, baseVersion: before })).statusCode).toBe(404);
    expect((await detail()).state.version).toBe(before);
  });

  it('refuses a version that no longer validates, naming the field, and changes nothing', async () => {
    const before = (await detail()).state.version;
    // As if the field spec had tightened since version 2 was saved.
    await w.server.deps.db.pool.query(`UPDATE integration_config_versions SET settings = jsonb_set(settings, '{subdomain}', '"Not Valid!"') WHERE partner_id = $1 AND version = 2`, [w.a.id]);
    const res = await w.request('POST', '/api/integrations/testvendor/rollback', w.a.admin, { toVersion: 2, baseVersion: before });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toContain('settings.subdomain');
    expect((await detail()).state.version).toBe(before);
  });
});
