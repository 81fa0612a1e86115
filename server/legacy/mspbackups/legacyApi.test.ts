import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../../shared/integrations/fields.js';
import { withPartner } from '../../db/pool.js';
import { setFeatureFlag } from '../../services/featureFlags.js';
import { createMspBackupsWorld, type MspBackupsWorld, type MspPartner } from '../../test/mspbackupsWorld.js';

// The legacy MSPBackups API as partners use it: its contract, roles, validation, the MSP360
// read, and tenant isolation. The migration's guarantees are in migration.test.ts.

const password = 'legacy-password-0123';
const otherPassword = 'bravo-password-9876';

describe('the legacy MSPBackups API', () => {
  let w: MspBackupsWorld;
  let a: MspPartner;
  let b: MspPartner;
  beforeAll(async () => {
    w = await createMspBackupsWorld();
    a = await w.partner();
    b = await w.partner();
    w.fake.addAccount({ login: 'alpha-api', password, companies: 2 });
    w.fake.addAccount({ login: 'bravo-api', password: otherPassword, companies: 4 });
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    w.fake.resetFaults();
    await w.server.deps.db.pool.query('DELETE FROM mspbackups_config; DELETE FROM integration_configurations; DELETE FROM integration_audit_logs; DELETE FROM feature_flags; DELETE FROM partner_feature_flags');
  });

  const put = (who: MspPartner['admin'], body: unknown) => w.request('PUT', '/api/mspbackups/config', who, body);
  const get = (who: MspPartner['admin']) => w.request('GET', '/api/mspbackups/config', who);

  it('answers 404 before anything is saved, then the masked settings; a technician reads but cannot write', async () => {
    expect((await get(a.tech)).statusCode).toBe(404);
    const saved = await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ apiLogin: 'alpha-api', apiPassword: { isSet: true, last4: '0123' }, enabled: true });
    expect((await get(a.tech)).json()).toEqual(saved.json());
    expect(saved.body + (await get(a.tech)).body).not.toContain(password);

    const refused = await put(a.tech, { apiLogin: 'alpha-api', apiPassword: 'tech-wants-this' });
    expect(refused.statusCode).toBe(403);
    expect((await get(a.admin)).json().apiLogin).toBe('alpha-api');
    expect((await w.request('GET', '/api/mspbackups/config')).statusCode).toBe(401);
  });

  it('keeps the stored password when it is left out, blank, null or the mask; stores it encrypted with CREDENTIALS_KEY', async () => {
    await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password });
    for (const apiPassword of [undefined, '', null, SECRET_MASK]) {
      const res = await put(a.admin, { apiLogin: 'alpha-api', enabled: false, ...(apiPassword === undefined ? {} : { apiPassword }) });
      expect(res.json(), String(apiPassword)).toEqual({ apiLogin: 'alpha-api', apiPassword: { isSet: true, last4: '0123' }, enabled: false });
    }
    // Saving the same settings again writes nothing (no version bump, no audit row).
    const versionOf = async () => (await w.request('GET', '/api/integrations/msp360', a.tech)).json().state.version as number;
    const auditCount = async () => (await w.request('GET', '/api/integrations/msp360/audit', a.tech)).json().items.length as number;
    const [version, audited] = [await versionOf(), await auditCount()];
    expect((await put(a.admin, { apiLogin: 'alpha-api', enabled: false })).statusCode).toBe(200);
    expect([await versionOf(), await auditCount()]).toEqual([version, audited]);
    const { rows } = await w.server.deps.db.pool.query<{ api_password: string }>('SELECT api_password FROM mspbackups_config WHERE partner_id = $1', [a.id]);
    expect(rows[0]?.api_password).toMatch(/^v1:/);
    expect(w.server.deps.legacyCredentials.decrypt(rows[0]?.api_password as string)).toBe(password);
    // Short passwords show no last four characters, like the catalog's secrets.
    expect((await put(a.admin, { apiLogin: 'alpha-api', apiPassword: 'short-pw' })).json().apiPassword).toEqual({ isSet: true, last4: null });
    // A login without a password can be saved (the legacy feature allowed it) and is shown as such.
    expect((await put(b.admin, { apiLogin: 'bravo-api' })).json()).toEqual({ apiLogin: 'bravo-api', apiPassword: { isSet: false, last4: null }, enabled: true });
  });

  it('answers 400 with per-field messages and writes nothing for bad input', async () => {
    const cases: [unknown, Record<string, string[]>][] = [
      [{}, { apiLogin: ['API login is required'] }],
      [{ apiLogin: '   ' }, { apiLogin: ['API login is required'] }],
      [{ apiLogin: 'two words' }, { apiLogin: ['The API login is a single word without spaces'] }],
      [{ apiLogin: 'x'.repeat(101) }, { apiLogin: ['The API login is at most 100 characters'] }],
      [{ apiLogin: 'ok', apiPassword: 'pw' }, { apiPassword: ['The API password has 3 to 100 characters on one line'] }],
      [{ apiLogin: 'ok', apiPassword: 'line\nbreak' }, { apiPassword: ['The API password has 3 to 100 characters on one line'] }],
      [{ apiLogin: 'ok', apiPassword: 42 }, { apiPassword: ['API password must be text'] }],
      [{ apiLogin: 'ok', enabled: 'yes' }, { enabled: ['enabled must be true or false'] }],
    ];
    for (const [body, fields] of cases) {
      const res = await put(a.admin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields });
    }
    const { rows } = await w.server.deps.db.pool.query('SELECT 1 FROM mspbackups_config UNION ALL SELECT 1 FROM integration_configurations');
    expect(rows).toEqual([]);
  });

  it('finds no 5xx for random bodies (property-based)', async () => {
    const body = fc.oneof(
      fc.record({ apiLogin: fc.oneof(fc.string(), fc.constant('alpha-api'), fc.anything()), apiPassword: fc.oneof(fc.string(), fc.constant(null), fc.anything()), enabled: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const res = await w.server.app.inject({
          method: 'PUT',
          url: '/api/mspbackups/config',
          headers: { authorization: a.admin.auth, 'content-type': 'application/json' },
          payload: JSON.stringify(value) ?? 'null',
        });
        expect(res.statusCode, `${JSON.stringify(value)?.slice(0, 200)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('reads the companies from MSP360 with the saved credentials', async () => {
    expect((await w.request('GET', '/api/mspbackups/companies', a.tech)).statusCode).toBe(404);
    await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password });
    const res = await w.request('GET', '/api/mspbackups/companies', a.tech);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        { id: '00000001-0000-4000-8000-000000000001', name: 'Company 1' },
        { id: '00000001-0000-4000-8000-000000000002', name: 'Company 2' },
      ],
    });
    // The plugin's token cache: one login for two reads.
    const logins = w.fake.requestCount({ path: '/api/Provider/Login', tenant: 'alpha-api' });
    await w.request('GET', '/api/mspbackups/companies', a.tech);
    expect(w.fake.requestCount({ path: '/api/Provider/Login', tenant: 'alpha-api' })).toBe(logins);
  });

  it('answers 409 when turned off, without a password, or refused by MSP360, and 503 when MSP360 fails', async () => {
    await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password, enabled: false });
    const off = await w.request('GET', '/api/mspbackups/companies', a.admin);
    expect([off.statusCode, off.json().error.message]).toEqual([409, 'MSPBackups is turned off for this partner']);
    await put(b.admin, { apiLogin: 'bravo-api' });
    expect((await w.request('GET', '/api/mspbackups/companies', b.admin)).statusCode).toBe(409);

    await put(a.admin, { apiLogin: 'alpha-api', apiPassword: 'a-wrong-password', enabled: true });
    const refused = await w.request('GET', '/api/mspbackups/companies', a.admin);
    expect([refused.statusCode, refused.json().error.message]).toEqual([409, 'MSP360 rejected the API login or password']);
    expect(refused.body).not.toContain('a-wrong-password');

    await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password });
    w.fake.setFaults({ serverError: { times: 100, status: 502 } }, 'alpha-api');
    const down = await w.request('GET', '/api/mspbackups/companies', a.admin);
    expect(down.statusCode).toBe(503);
    expect(down.json().error.message).toMatch(/^MSP360 is having trouble \(HTTP 502\)/);
  });

  it('is not behind the integration-center flag, which still hides the catalog (globally or per partner)', async () => {
    await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password });
    await setFeatureFlag(w.server.deps.db, { flag: 'integration-center', enabled: false, partnerId: a.id });
    expect((await w.request('GET', '/api/integrations', a.admin)).statusCode).toBe(404);
    expect((await w.request('GET', '/api/integrations/msp360', a.admin)).statusCode).toBe(404);
    // The same 404 for every role: a technician is not told "forbidden" about a hidden feature.
    expect((await w.request('POST', '/api/integrations/msp360/configure', a.tech, { settings: {} })).statusCode).toBe(404);
    expect((await w.request('PUT', '/api/alerts/webhook', a.tech, { url: 'https://hooks.example.com/x' })).statusCode).toBe(404);
    expect((await w.request('GET', '/api/dev/partners', a.tech)).statusCode).toBe(404);
    expect((await w.request('GET', '/api/integrations', b.admin)).statusCode).toBe(200);
    expect((await get(a.admin)).statusCode).toBe(200);
    expect((await put(a.admin, { apiLogin: 'alpha-api', enabled: false })).statusCode).toBe(200);
    expect((await w.request('GET', '/api/mspbackups/companies', a.admin)).statusCode).toBe(409);

    // Off globally, on again for one partner: the override wins.
    await setFeatureFlag(w.server.deps.db, { flag: 'integration-center', enabled: false });
    await setFeatureFlag(w.server.deps.db, { flag: 'integration-center', enabled: true, partnerId: b.id });
    expect((await w.request('GET', '/api/integrations', b.admin)).statusCode).toBe(200);
    const c = await w.partner();
    expect((await w.request('GET', '/api/integrations', c.admin)).statusCode).toBe(404);
    expect((await w.request('POST', '/trpc/integrations.configure', c.admin, { key: 'msp360', settings: { api_login: 'x', api_password: password } })).statusCode).toBe(404);
    expect((await get(a.admin)).json().enabled).toBe(false);
  });

  describe('across partners', () => {
    it('never lets a partner read or change another partner\'s settings', async () => {
      await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password });
      await put(b.admin, { apiLogin: 'bravo-api', apiPassword: otherPassword });
      const seenByB = [await get(b.admin), await get(b.tech), await w.request('GET', '/api/mspbackups/companies', b.tech)];
      for (const res of seenByB) {
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toContain('alpha-api');
        expect(res.body).not.toContain('0123');
      }
      expect(seenByB[2]?.json().items).toHaveLength(4);

      // The partner comes from the token only: a partner id anywhere else is refused or ignored.
      for (const body of [{ apiLogin: 'hijack', partnerId: a.id }, { apiLogin: 'hijack', partner_id: a.id }]) {
        expect((await put(b.admin, body)).statusCode).toBe(400);
      }
      const viaQuery = await w.request('GET', `/api/mspbackups/config?partnerId=${a.id}`, b.admin);
      expect(viaQuery.json().apiLogin).toBe('bravo-api');
      const viaHeader = await w.server.app.inject({ url: '/api/mspbackups/config', headers: { authorization: b.admin.auth, 'x-partner-id': String(a.id) } });
      expect(viaHeader.json().apiLogin).toBe('bravo-api');
      const viaTrpc = await w.request('POST', '/trpc/mspbackups.saveConfig', b.admin, { apiLogin: 'hijack', partnerId: a.id });
      expect(viaTrpc.statusCode).toBe(400);
      expect((await get(a.admin)).json()).toEqual({ apiLogin: 'alpha-api', apiPassword: { isSet: true, last4: '0123' }, enabled: true });
      // A token whose partner does not match its user's is refused outright.
      const forged = `Bearer ${(await w.server.deps.tokens.sign({ userId: b.admin.id, partnerId: a.id, role: 'partner_admin' })).token}`;
      expect((await w.request('GET', '/api/mspbackups/config', { ...b.admin, auth: forged })).statusCode).toBe(401);
    });

    it('row-level security hides and protects other partners\' legacy rows even without a partner filter', async () => {
      await put(a.admin, { apiLogin: 'alpha-api', apiPassword: password });
      await put(b.admin, { apiLogin: 'bravo-api', apiPassword: otherPassword });
      const seen = await withPartner(w.server.deps.db, b.id, async (tx) => {
        const rows = await tx.query<{ partner_id: number }>('SELECT partner_id FROM mspbackups_config');
        const updated = await tx.query(`UPDATE mspbackups_config SET enabled = false WHERE partner_id = $1`, [a.id]);
        const deleted = await tx.query('DELETE FROM mspbackups_config WHERE partner_id = $1', [a.id]);
        return { partners: rows.rows.map((r) => r.partner_id), changed: (updated.rowCount ?? 0) + (deleted.rowCount ?? 0) };
      });
      expect(seen).toEqual({ partners: [b.id], changed: 0 });
      await expect(
        withPartner(w.server.deps.db, b.id, (tx) => tx.query(`INSERT INTO mspbackups_config (partner_id, api_login) VALUES ($1, 'x') ON CONFLICT DO NOTHING`, [a.id])),
      ).rejects.toThrow(/row-level security/);
      // Feature-flag overrides are a partner table too.
      await setFeatureFlag(w.server.deps.db, { flag: 'msp360.read_from_new', enabled: true, partnerId: a.id });
      const flags = await withPartner(w.server.deps.db, b.id, (tx) => tx.query('SELECT partner_id FROM partner_feature_flags'));
      expect(flags.rows).toEqual([]);
    });
  });

  it('documents the legacy routes in the OpenAPI document', async () => {
    const doc = (await w.request('GET', '/api/openapi.json')).json();
    expect(Object.keys(doc.paths['/api/mspbackups/config'])).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/api/mspbackups/config'].put.requestBody.content['application/json'].schema.properties)).toEqual(['apiLogin', 'apiPassword', 'enabled']);
    expect(doc.paths['/api/mspbackups/companies'].get).toBeDefined();
  });
});
