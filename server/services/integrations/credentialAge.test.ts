import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialAgeOutput } from '../../../shared/integrations/credentialAge.js';
import type { AlertPage } from '../../../shared/integrations/health.js';
import { createControllablePlugin } from '../../integrations/testing/controllablePlugin.js';
import { createCatalogWorld, validSettings, type CatalogWorld, type WorldUser } from '../../test/catalogWorld.js';
import { raiseCredentialAlerts } from '../alerts/credentialAlerts.js';

/**
 * Issue 18 §2 against the real PostgreSQL: when each secret was set is recorded at every save,
 * its age is shown against the vendor's limit or the partner's default, and the hourly scan
 * raises "rotate soon" once and "rotate overdue" once through the alert and webhook path.
 */
let w: CatalogWorld;
const day = 24 * 60 * 60 * 1000;
const ages = async (key = 'testvendor', who: WorldUser = w.a.admin) => (await w.request('GET', `/api/integrations/${key}/credential-age`, who)).json() as CredentialAgeOutput;
const alerts = async (who: WorldUser = w.a.admin) => (await w.request('GET', '/api/alerts', who)).json() as AlertPage;
const scan = (now = new Date()) => raiseCredentialAlerts(w.server.deps, undefined, now);
/** Pretends the token was set `days` ago (what months of real time would do). */
const setTokenDaysAgo = (partnerId: number, days: number, key = 'testvendor') =>
  w.server.deps.db.pool.query(
    `UPDATE integration_configurations SET secrets_set_at = jsonb_set(secrets_set_at, '{api_token}', to_jsonb($3::text))
      WHERE partner_id = $1 AND integration_key = $2`,
    [partnerId, key, new Date(Date.now() - days * day).toISOString()],
  );

beforeAll(async () => {
  // A second copy of the test plugin whose vendor states a 30-day key lifetime.
  const lifetime = createControllablePlugin({ key: 'shortlived', name: 'Short Lived', description: 'Keys live 30 days' });
  w = await createCatalogWorld({ plugins: [{ ...lifetime.plugin, credentialMaxAgeDays: 30 }], env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' } });
  for (const partner of [w.a, w.b]) {
    expect((await w.request('POST', '/api/integrations/testvendor/configure', partner.admin, { settings: validSettings() })).statusCode).toBe(201);
  }
  expect((await w.request('PUT', '/api/alerts/webhook', w.a.admin, { url: 'http://127.0.0.1:9/hook' })).statusCode).toBe(200);
});
afterAll(() => w.close());

describe('credential age', () => {
  it('records when a secret was set and shows its age against the partner-wide default of 90 days', async () => {
    const body = await ages('testvendor', w.a.tech);
    expect(body).toMatchObject({ maxAgeDays: 90, source: 'partner', rotateSoonDays: 14 });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ field: 'api_token', label: 'API token', ageDays: 0, state: 'ok' });
    expect(Date.now() - Date.parse(body.items[0]!.setAt)).toBeLessThan(60_000);
    expect(Date.parse(body.items[0]!.dueAt) - Date.parse(body.items[0]!.setAt)).toBe(90 * day);
  });

  it('uses the limit the vendor states, and a partner-wide default the partner changed', async () => {
    expect((await w.request('POST', '/api/integrations/shortlived/configure', w.a.admin, { settings: validSettings() })).statusCode).toBe(201);
    expect(await ages('shortlived')).toMatchObject({ maxAgeDays: 30, source: 'vendor' });
    await w.server.deps.db.pool.query('UPDATE partners SET credential_max_age_days = 60 WHERE id = $1', [w.a.id]);
    expect(await ages()).toMatchObject({ maxAgeDays: 60, source: 'partner' });
    // Partner B keeps the default: the limit is the partner's own.
    expect(await ages('testvendor', w.b.admin)).toMatchObject({ maxAgeDays: 90 });
    await w.server.deps.db.pool.query('UPDATE partners SET credential_max_age_days = 90 WHERE id = $1', [w.a.id]);
  });

  it('raises "rotate soon" once within 14 days of the limit, queued for the webhook, and only for that partner', async () => {
    await setTokenDaysAgo(w.a.id, 80);
    expect((await ages()).items[0]).toMatchObject({ ageDays: 80, state: 'rotate_soon' });
    expect(await scan()).toBe(1);
    expect(await scan()).toBe(0);
    const [alert] = (await alerts()).items;
    expect(alert).toMatchObject({ integrationKey: 'testvendor', kind: 'rotate_soon', health: 'degraded', delivery: { state: 'pending' } });
    expect(alert?.message).toMatch(/^Test Vendor's API token was set 80 days ago: rotate it before \d{4}-\d\d-\d\d \(its limit is 90 days\)$/);
    expect((await alerts(w.b.admin)).items).toEqual([]);
  });

  it('raises "rotate overdue" once past the limit, even when two scans run at once', async () => {
    await setTokenDaysAgo(w.a.id, 95);
    expect((await ages()).items[0]).toMatchObject({ state: 'overdue' });
    const raised = await Promise.all([scan(), scan(), scan()]);
    expect(raised.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await scan()).toBe(0);
    const kinds = (await alerts()).items.map((a) => a.kind);
    expect(kinds).toEqual(['rotate_overdue', 'rotate_soon']);
    expect((await alerts()).items[0]?.message).toBe("Test Vendor's API token is 95 days old, past its limit of 90 days: rotate it now");
  });

  it('a credential that skipped the notice (set 200 days ago) gets only the overdue alert', async () => {
    await setTokenDaysAgo(w.b.id, 200);
    expect(await scan()).toBe(1);
    expect((await alerts(w.b.admin)).items.map((a) => a.kind)).toEqual(['rotate_overdue']);
  });

  it('an edit that keeps the secret keeps its age; a new secret starts afresh and can alert again later', async () => {
    expect((await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: { subdomain: 'kept', region: 'us' } })).statusCode).toBe(200);
    expect((await ages()).items[0]).toMatchObject({ ageDays: 95, state: 'overdue' });
    expect((await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: { subdomain: 'kept', region: 'us', api_token: 'tok_rotated_0123456789' } })).statusCode).toBe(200);
    expect((await ages()).items[0]).toMatchObject({ ageDays: 0, state: 'ok' });
    expect(await scan()).toBe(0);
    await setTokenDaysAgo(w.a.id, 85);
    expect(await scan()).toBe(1);
  });

  it('a maintenance window defers the reminder until it is released', async () => {
    await setTokenDaysAgo(w.b.id, 85, 'testvendor');
    await w.server.deps.db.pool.query("UPDATE integration_configurations SET credential_alerts = '{}' WHERE partner_id = $1", [w.b.id]);
    const window = await w.request('POST', '/api/maintenance-windows', w.b.admin, { integrationKey: 'testvendor', endsAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'Key rotation planned' });
    expect(window.statusCode, window.body).toBe(201);
    expect(await scan()).toBe(0);
    expect((await w.request('POST', `/api/maintenance-windows/${window.json().id}/end`, w.b.admin)).statusCode).toBe(200);
    expect(await scan()).toBe(1);
  });

  it('a rollback restores a secret with the age it really has, not as new', async () => {
    const before = (await ages()).items[0]!.setAt;
    expect((await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: { subdomain: 'kept', region: 'us', api_token: 'tok_newest_0123456789' } })).statusCode).toBe(200);
    const versions = (await w.request('GET', '/api/integrations/testvendor/versions', w.a.admin)).json().items as { version: number }[];
    const current = versions[0]!.version;
    // Version current-1 held the token set 85 days ago; the stored version kept that time.
    await w.server.deps.db.pool.query(
      `UPDATE integration_config_versions SET secrets_set_at = jsonb_build_object('api_token', $3::text) WHERE partner_id = $1 AND version = $2`,
      [w.a.id, current - 1, before],
    );
    const rolled = await w.request('POST', '/api/integrations/testvendor/rollback', w.a.admin, { toVersion: current - 1, baseVersion: current });
    expect(rolled.statusCode, rolled.body).toBe(200);
    expect((await ages()).items[0]).toMatchObject({ setAt: before, ageDays: 85, state: 'rotate_soon' });
  });

  it('a partner admin sets the partner-wide limit; bad values get field messages and change nothing', async () => {
    const put = (body: unknown, who: WorldUser = w.a.admin) => w.request('PUT', '/api/alerts/credential-policy', who, body);
    for (const [body, message] of [
      [{ maxAgeDays: 0 }, 'At least 1 day'],
      [{ maxAgeDays: 4000 }, 'At most 3650 days (10 years)'],
      [{ maxAgeDays: 30.5 }, 'Enter a whole number of days'],
      [{ maxAgeDays: '30' }, 'Enter a number of days'],
    ] as const) {
      const res = await put(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields).toEqual({ maxAgeDays: [message] });
    }
    expect((await put({ maxAgeDays: 30 }, w.a.tech)).statusCode).toBe(403);
    expect((await w.request('GET', '/api/alerts/credential-policy', w.a.tech)).json()).toEqual({ maxAgeDays: 90 });

    const saved = await put({ maxAgeDays: 120 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ maxAgeDays: 120 });
    expect(await ages()).toMatchObject({ maxAgeDays: 120, source: 'partner' });
    expect((await w.request('GET', '/api/alerts/credential-policy', w.b.admin)).json()).toEqual({ maxAgeDays: 90 });
  });

  it('answers 404 for an integration that is not configured or unknown', async () => {
    expect((await w.request('GET', '/api/integrations/otherbackup/credential-age', w.a.admin)).statusCode).toBe(404);
    expect((await w.request('GET', '/api/integrations/nope/credential-age', w.a.admin)).statusCode).toBe(404);
  });
});
