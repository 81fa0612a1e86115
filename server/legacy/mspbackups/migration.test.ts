import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretAad, type StoredSecret } from '../../secrets/cipher.js';
import { cliFor, type CliResult } from '../../test/cli.js';
import { createMspBackupsWorld, type LegacySeed, type MspBackupsWorld, type MspPartner } from '../../test/mspbackupsWorld.js';

// SPEC-005's risky step, end to end: legacy rows as partners have them today, their legacy API
// answers captured, the data migration (CLI), then the legacy API with the read flag off and
// on, idempotence, and the parity check.

type Name = 'enabled' | 'disabled' | 'noPassword' | 'noLogin' | 'umlaut' | 'cjk' | 'catalogDiffers' | 'catalogOnly' | 'nothing';

const seeds: Partial<Record<Name, LegacySeed>> = {
  enabled: { apiLogin: 'alpha-api', apiPassword: 'alpha-password-2024', enabled: true },
  disabled: { apiLogin: 'bravo-api', apiPassword: 'bravo-pw', enabled: false },
  noPassword: { apiLogin: 'charlie-api', apiPassword: null, enabled: true },
  noLogin: { apiLogin: '', apiPassword: null, enabled: false },
  umlaut: { apiLogin: 'müller-sicherung', apiPassword: 'Passwört-mit-Ümlauten-ß', enabled: true },
  cjk: { apiLogin: '備份管理者', apiPassword: 'パスワード-секрет-42', enabled: true },
  catalogDiffers: { apiLogin: 'delta-api', apiPassword: 'delta-legacy-password', enabled: true },
};
const secrets = [...Object.values(seeds).flatMap((s) => (s?.apiPassword ? [s.apiPassword] : [])), 'delta-catalog-password', 'echo-catalog-password'];

describe('the MSPBackups migration', () => {
  let w: MspBackupsWorld;
  let cli: (args: string[]) => Promise<CliResult>;
  const p = {} as Record<Name, MspPartner>;
  const before = {} as Record<Name, { config: { status: number; body: string }; companies: { status: number; body: string } }>;

  const legacyAnswers = async (name: Name) => {
    const [config, companies] = [await w.request('GET', '/api/mspbackups/config', p[name].tech), await w.request('GET', '/api/mspbackups/companies', p[name].tech)];
    return { config: { status: config.statusCode, body: config.body }, companies: { status: companies.statusCode, body: companies.body } };
  };
  const names = () => Object.keys(p) as Name[];
  /** Everything the migration could touch, to prove a second run changes nothing. */
  const snapshot = async () => {
    const q = (sql: string) => w.server.deps.db.pool.query(sql).then((r) => r.rows);
    return {
      generic: await q('SELECT partner_id, integration_key, settings, status, health, version, sync_version, updated_at FROM integration_configurations ORDER BY 1, 2'),
      legacy: await q('SELECT * FROM mspbackups_config ORDER BY partner_id'),
      audit: await q('SELECT id, partner_id, action, details FROM integration_audit_logs ORDER BY id'),
      sync: await q('SELECT * FROM partner_sync_state ORDER BY partner_id'),
    };
  };
  const flag = (value: 'on' | 'off', partner?: MspPartner) =>
    cli(['flag', 'set', 'msp360.read_from_new', value, ...(partner ? ['--partner', String(partner.id)] : [])]);

  beforeAll(async () => {
    w = await createMspBackupsWorld();
    cli = await cliFor(w.server);
    for (const name of ['enabled', 'disabled', 'noPassword', 'noLogin', 'umlaut', 'cjk', 'catalogDiffers', 'catalogOnly', 'nothing'] as const) p[name] = await w.partner();
    w.fake.addAccount({ login: 'alpha-api', password: 'alpha-password-2024', companies: 2 });
    w.fake.addAccount({ login: 'müller-sicherung', password: 'Passwört-mit-Ümlauten-ß', companies: 1 });
    w.fake.addAccount({ login: '備份管理者', password: 'パスワード-секрет-42', companies: 3 });
    w.fake.addAccount({ login: 'delta-api', password: 'delta-legacy-password', companies: 5 });

    // Configured in the catalog before both stores were written together: then the legacy
    // table either never heard of it (catalogOnly) or holds what the partner uses (catalogDiffers).
    const configure = (who: MspPartner, settings: Record<string, string>) =>
      w.request('POST', '/api/integrations/msp360/configure', who.admin, { settings }).then((r) => expect(r.statusCode).toBe(201));
    await configure(p.catalogDiffers, { api_login: 'delta-catalog', api_password: 'delta-catalog-password' });
    await configure(p.catalogOnly, { api_login: 'echo-api', api_password: 'echo-catalog-password' });
    await w.server.deps.db.pool.query('DELETE FROM mspbackups_config WHERE partner_id = ANY($1)', [[p.catalogDiffers.id, p.catalogOnly.id]]);
    for (const [name, seed] of Object.entries(seeds)) await w.seedLegacy(p[name as Name].id, seed);

    for (const name of names()) before[name] = await legacyAnswers(name);
  });
  afterAll(() => w.close());

  it('captured the legacy answers partners get today', () => {
    expect(JSON.parse(before.enabled.config.body)).toEqual({ apiLogin: 'alpha-api', apiPassword: { isSet: true, last4: '2024' }, enabled: true });
    expect(JSON.parse(before.enabled.companies.body).items).toHaveLength(2);
    expect(JSON.parse(before.umlaut.config.body)).toMatchObject({ apiLogin: 'müller-sicherung', apiPassword: { isSet: true, last4: 'en-ß' } });
    expect(JSON.parse(before.cjk.companies.body).items).toHaveLength(3);
    expect(JSON.parse(before.disabled.config.body)).toEqual({ apiLogin: 'bravo-api', apiPassword: { isSet: true, last4: null }, enabled: false });
    expect(before.disabled.companies.status).toBe(409);
    expect(JSON.parse(before.noLogin.config.body)).toEqual({ apiLogin: '', apiPassword: { isSet: false, last4: null }, enabled: false });
    expect(JSON.parse(before.catalogDiffers.config.body).apiLogin).toBe('delta-api');
    expect([before.catalogOnly.config.status, before.nothing.config.status]).toEqual([404, 404]);
  });

  it('refuses to turn reading from the catalog on before the settings are there, unless forced', async () => {
    const refused = await flag('on', p.enabled);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`partner ${p.enabled.id}: missing in integration_configurations`);
    expect(refused.err).toContain('Run `msp360-migrate`');
    expect((await flag('on')).code).toBe(1);
    expect((await legacyAnswers('enabled')).config.status).toBe(200);
    // A partner without differences (nothing in either store) may be switched on, and --force overrides.
    expect((await flag('on', p.nothing)).code).toBe(0);
    expect((await cli(['flag', 'set', 'msp360.read_from_new', 'on', '--partner', String(p.enabled.id), '--force'])).code).toBe(0);
    await cli(['flag', 'clear', 'msp360.read_from_new', '--partner', String(p.nothing.id)]);
    await cli(['flag', 'clear', 'msp360.read_from_new', '--partner', String(p.enabled.id)]);
  });

  it('migrates every partner, once, in the plugin shape with the password under the key ring', async () => {
    const run = await cli(['msp360-migrate', '--batch-size', '3']);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ legacyTable: true, migrated: 6, replaced: 1, linked: 0, copiedToLegacy: 1, skipped: 0, drifted: [], failed: [], interrupted: false });

    const { rows } = await w.server.deps.db.pool.query<{ partner_id: number; status: string; health: string; settings: Record<string, unknown> }>(
      `SELECT partner_id, status, health, settings FROM integration_configurations WHERE integration_key = 'msp360'`,
    );
    const byPartner = new Map(rows.map((r) => [r.partner_id, r]));
    const statusOf = (name: Name) => byPartner.get(p[name].id)?.status;
    // Partners using the feature today are Active; disabled or credential-less rows are kept as Configured.
    expect(['enabled', 'umlaut', 'cjk', 'catalogDiffers'].map((n) => statusOf(n as Name))).toEqual(['Active', 'Active', 'Active', 'Active']);
    expect(['disabled', 'noPassword', 'noLogin', 'catalogOnly'].map((n) => statusOf(n as Name))).toEqual(['Configured', 'Configured', 'Configured', 'Configured']);
    expect(byPartner.has(p.nothing.id)).toBe(false);

    const umlaut = byPartner.get(p.umlaut.id)?.settings as { api_login: string; api_password: StoredSecret; enabled: boolean };
    expect(Object.keys(umlaut).sort()).toEqual(['api_login', 'api_password', 'enabled']);
    expect(umlaut).toMatchObject({ api_login: 'müller-sicherung', enabled: true, api_password: { v: 1, kid: 'test1', last4: 'en-ß' } });
    const aad = (partnerId: number) => secretAad({ partnerId, integrationKey: 'msp360', fieldKey: 'api_password' });
    expect(w.server.deps.secrets.decrypt(umlaut.api_password, aad(p.umlaut.id))).toBe('Passwört-mit-Ümlauten-ß');
    expect(() => w.server.deps.secrets.decrypt(umlaut.api_password, aad(p.cjk.id))).toThrow(); // bound to its partner
    expect(byPartner.get(p.noLogin.id)?.settings).toEqual({ enabled: false });

    const audit = await w.server.deps.db.pool.query<{ partner_id: number; actor: string; details: { changes: unknown[]; toStatus?: string } }>(
      `SELECT partner_id, actor, details FROM integration_audit_logs WHERE action = 'migrated' ORDER BY partner_id`,
    );
    expect(audit.rows.map((r) => r.partner_id)).toEqual(names().filter((n) => n !== 'nothing').map((n) => p[n].id));
    const enabledAudit = audit.rows.find((r) => r.partner_id === p.enabled.id);
    expect(enabledAudit).toMatchObject({ actor: 'system', details: { toStatus: 'Active' } });
    expect(enabledAudit?.details.changes).toEqual(
      expect.arrayContaining([
        { field: 'api_login', before: null, after: 'alpha-api', secret: false },
        { field: 'api_password', before: null, after: 'set', secret: true },
        { field: 'enabled', before: null, after: true, secret: false },
      ]),
    );
    const replaced = audit.rows.find((r) => r.partner_id === p.catalogDiffers.id);
    expect(replaced?.details.changes).toEqual(
      expect.arrayContaining([
        { field: 'api_login', before: 'delta-catalog', after: 'delta-api', secret: false },
        { field: 'api_password', before: 'set', after: 'changed', secret: true },
      ]),
    );
    const everything = JSON.stringify(audit.rows) + run.out + run.err + w.server.logs.text();
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('answers the legacy API identically with the read flag off and on, and from the catalog the same settings', async () => {
    for (const name of names()) if (name !== 'catalogOnly') expect(await legacyAnswers(name), `${name}, flag off`).toEqual(before[name]);
    const offCatalogOnly = await legacyAnswers('catalogOnly');
    expect(JSON.parse(offCatalogOnly.config.body)).toEqual({ apiLogin: 'echo-api', apiPassword: { isSet: true, last4: 'word' }, enabled: true });

    // On for one partner first, then for everyone.
    expect((await flag('on', p.umlaut)).code).toBe(0);
    expect(await legacyAnswers('umlaut')).toEqual(before.umlaut);
    expect((await flag('on')).code).toBe(0);
    for (const name of names()) {
      expect(await legacyAnswers(name), `${name}, flag on`).toEqual(name === 'catalogOnly' ? offCatalogOnly : before[name]);
    }
    const detail = (await w.request('GET', '/api/integrations/msp360', p.cjk.tech)).json();
    expect(detail.settings).toEqual({ api_login: '備份管理者', api_password: { isSet: true, last4: 'т-42' }, enabled: true });
    expect(detail.state.status).toBe('Active');
    await cli(['flag', 'clear', 'msp360.read_from_new']);
    await cli(['flag', 'clear', 'msp360.read_from_new', '--partner', String(p.umlaut.id)]);
  });

  it('changes nothing when run again', async () => {
    const first = await snapshot();
    const again = await cli(['msp360-migrate']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ migrated: 0, replaced: 0, linked: 0, copiedToLegacy: 0, skipped: 8, drifted: [], failed: [] });
    expect(await snapshot()).toEqual(first);
  });

  it('passes the parity check, then fails it naming partners and fields (never values) once rows are altered behind its back', async () => {
    const clean = await cli(['msp360-parity']);
    expect([clean.code, clean.out]).toEqual([0, '']);
    expect(clean.err).toBe('8 partner(s) compared, 0 with differences');

    const db = w.server.deps.db.pool;
    await db.query('UPDATE mspbackups_config SET enabled = NOT enabled WHERE partner_id = $1', [p.enabled.id]);
    await db.query('UPDATE mspbackups_config SET api_password = $2 WHERE partner_id = $1', [p.disabled.id, w.server.deps.legacyCredentials.encrypt('bravo-pw-altered')]);
    await db.query(`UPDATE integration_configurations SET settings = jsonb_set(settings, '{api_login}', '"mueller-sicherung"') WHERE partner_id = $1 AND integration_key = 'msp360'`, [p.umlaut.id]);
    await db.query('UPDATE mspbackups_config SET api_password = $2 WHERE partner_id = $1', [p.cjk.id, 'v1:bm90:YQ==:YQ==']);
    await db.query('DELETE FROM mspbackups_config WHERE partner_id = $1', [p.noLogin.id]);

    const dirty = await cli(['msp360-parity', '--batch-size', '2']);
    expect(dirty.code).toBe(1);
    expect(dirty.out.split('\n')).toEqual([
      `partner ${p.enabled.id}: enabled`,
      `partner ${p.disabled.id}: api_password`,
      `partner ${p.noLogin.id}: missing in mspbackups_config`,
      `partner ${p.umlaut.id}: api_login`,
      `partner ${p.cjk.id}: api_password does not decrypt in mspbackups_config`,
    ]);
    expect(dirty.err).toBe('8 partner(s) compared, 5 with differences');
    for (const value of [...secrets, 'bravo-pw-altered', 'mueller', 'müller', 'alpha-api']) expect(dirty.out + dirty.err).not.toContain(value);

    // The migration leaves drift alone (and says so), apart from restoring a missing legacy row.
    const rerun = await cli(['msp360-migrate']);
    expect(rerun.code).toBe(1);
    expect(JSON.parse(rerun.out)).toMatchObject({ drifted: [p.enabled.id, p.disabled.id, p.umlaut.id], failed: [p.cjk.id], copiedToLegacy: 1 });
  });
});
