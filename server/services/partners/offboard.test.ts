import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPartnerRows, partnerTables } from '../../db/partnerRows.js';
import { withSystem } from '../../db/pool.js';
import { verifyKeyRing } from '../../secrets/bootCheck.js';
import { createSecretCipher, isStoredSecret, secretAad, SecretDecryptError, type StoredSecret } from '../../secrets/cipher.js';
import { parseKeyRing } from '../../secrets/keyRing.js';
import { migrateSecretsToDataKeys, refreshDataKeys } from '../../secrets/partnerKeys.js';
import { cliFor, type CliResult } from '../../test/cli.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../../test/catalogWorld.js';
import { makePartner, makeUser } from '../../test/factories.js';
import { testEncryptionKeys } from '../../test/harness.js';
import { offboardPartner } from './offboard.js';

// The ring the world starts with ("test1") plays k1; k2 is added before offboarding.
const k2 = `k2:${Buffer.alloc(32, 42).toString('base64')}`;
const ring = (text: string) => createSecretCipher(parseKeyRing(text), { dataKeyDelayMs: 0 });

describe('offboard-partner: rows deleted, data key shredded', () => {
  let w: CatalogWorld;
  const plain = new Map<string, string>();
  const q = <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => w.server.deps.db.pool.query<R>(text, values).then((r) => r.rows);
  let oneKeyCli: (args: string[]) => Promise<CliResult>;
  let cli: (args: string[]) => Promise<CliResult>; // ring [k2, k1]
  const rowCounts = (partnerId: number) => withSystem(w.server.deps.db, async (tx) => countPartnerRows(tx, await partnerTables(tx), partnerId));

  beforeAll(async () => {
    w = await createCatalogWorld();
    oneKeyCli = await cliFor(w.server);
    cli = await cliFor(w.server, { ENCRYPTION_KEYS: `${k2},${testEncryptionKeys}` });
    for (const p of [w.a, w.b]) {
      const settings = validSettings({ api_token: `tok_offboard_${p.id}_abcdefgh` });
      expect((await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings })).statusCode).toBe(201);
      plain.set(`${p.id}`, settings.api_token as string);
      await q('INSERT INTO clients (partner_id, name) VALUES ($1, $2)', [p.id, `Client of ${p.id}`]);
    }
    // The partners' secrets are under their data keys (the upgrade migration has run).
    expect(await migrateSecretsToDataKeys(w.server.deps.db, w.server.deps.secrets)).toMatchObject({ remaining: 0 });
  });
  afterAll(() => w.close());

  const secretOf = async (partnerId: number) => {
    const [row] = await q<{ settings: Record<string, unknown> }>("SELECT settings FROM integration_configurations WHERE partner_id = $1 AND integration_key = 'testvendor'", [partnerId]);
    const value = row?.settings.api_token;
    if (!isStoredSecret(value)) throw new Error(`no secret for partner ${partnerId}`);
    return value;
  };
  const aad = (partnerId: number) => secretAad({ partnerId, integrationKey: 'testvendor', fieldKey: 'api_token' });

  it('refuses with a one-key ring (saying how to add one), an unknown partner, the platform operator, a bad id; without --confirm changes nothing', async () => {
    const singleDry = await oneKeyCli(['offboard-partner', '--partner', String(w.a.id)]);
    expect(singleDry.code).toBe(0);
    expect(JSON.parse(singleDry.out)).toMatchObject({ done: false, blocked: expect.stringContaining('holds one key') });
    const single = await oneKeyCli(['offboard-partner', '--partner', String(w.a.id), '--confirm']);
    expect(single.code).toBe(1);
    expect(single.err).toContain('ENCRYPTION_KEYS holds one key ("test1")');
    expect(single.err).toContain('openssl rand -base64 32');

    expect((await cli(['offboard-partner', '--partner', '999999', '--confirm'])).err).toContain('No partner 999999');
    expect((await cli(['offboard-partner', '--partner', String(w.dev.id), '--confirm'])).err).toContain('platform operator');
    expect((await cli(['offboard-partner', '--partner', '99999999999999999999'])).code).toBe(2);
    expect((await cli(['offboard-partner'])).code).toBe(2);

    const before = await rowCounts(w.a.id);
    const dry = await cli(['offboard-partner', '--partner', String(w.a.id)]);
    expect(dry.code, dry.err).toBe(0);
    const plan = JSON.parse(dry.out);
    expect(plan).toMatchObject({ done: false, plan: { partner: { id: w.a.id, name: 'Partner A' }, hasDataKey: true } });
    expect(plan.plan.rows).toMatchObject({ partners: 1, users: 2, clients: 1, integration_configurations: 1, integration_config_versions: 1, partner_data_keys: 1 });
    expect(dry.err).toContain('Nothing changed; add --confirm');
    expect(await rowCounts(w.a.id)).toEqual(before);
    expect((await q<{ kid: string }>('SELECT DISTINCT kid FROM partner_data_keys')).map((r) => r.kid)).toEqual(['test1']);
  });

  it('deletes every row of the partner and its data key; a copy taken before no longer decrypts its secrets once the old key is retired, while the others restore', async () => {
    // "The copy": a backup taken before offboarding, here the rows that matter for secrets.
    const copy = {
      partners: await q('SELECT to_jsonb(p) AS row FROM partners p WHERE id = ANY($1)', [[w.a.id, w.b.id]]),
      configs: await q('SELECT to_jsonb(c) AS row FROM integration_configurations c WHERE partner_id = ANY($1)', [[w.a.id, w.b.id]]),
      dataKeys: await q<{ row: { partner_id: number; kid: string } }>('SELECT to_jsonb(k) AS row FROM partner_data_keys k WHERE partner_id = ANY($1)', [[w.a.id, w.b.id]]),
    };
    expect(copy.dataKeys.map((r) => r.row.kid)).toEqual(['test1', 'test1']);
    const bSecretBefore = await secretOf(w.b.id);

    // The operator adds k2 in front (ring [k2, k1]) and offboards A.
    const done = await cli(['offboard-partner', '--partner', String(w.a.id), '--confirm']);
    expect(done.code, done.err).toBe(0);
    expect(JSON.parse(done.out)).toMatchObject({ done: true, keyId: 'k2', dataKeysRewrapped: 2, retireKeyIds: ['test1'] });
    expect(done.err).toContain('set ENCRYPTION_KEYS to only the newest key ("k2")');
    expect(done.out + done.err).not.toContain(plain.get(`${w.a.id}`));

    // Every row of A is gone, in every table with a partner_id; B's are untouched, its secret too.
    expect(await rowCounts(w.a.id)).toEqual({});
    expect(await q('SELECT 1 FROM partners WHERE id = $1', [w.a.id])).toEqual([]);
    expect(await rowCounts(w.b.id)).toMatchObject({ users: 2, clients: 1, integration_configurations: 1, partner_data_keys: 1 });
    expect(await secretOf(w.b.id)).toEqual(bSecretBefore);
    expect((await q<{ kid: string }>('SELECT DISTINCT kid FROM partner_data_keys')).map((r) => r.kid)).toEqual(['k2']);

    // The operator retires k1: ring [k2]. The server boots, and B reads as before.
    const onlyNew = ring(k2);
    await verifyKeyRing(w.server.deps.db, onlyNew);
    await refreshDataKeys(w.server.deps.db, onlyNew);
    expect(onlyNew.decrypt(await secretOf(w.b.id), aad(w.b.id))).toBe(plain.get(`${w.b.id}`));

    // Restore the copy's rows: A's partner, configuration and data key (wrapped under k1) come
    // back; B's configuration is the copy's, its data key the current row (rewrapped under k2).
    await q('DELETE FROM integration_configurations WHERE partner_id = $1', [w.b.id]);
    await q('INSERT INTO partners SELECT * FROM jsonb_populate_recordset(NULL::partners, $1) WHERE id = $2', [JSON.stringify(copy.partners.map((r) => r.row)), w.a.id]);
    await q('INSERT INTO integration_configurations OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_recordset(NULL::integration_configurations, $1)', [
      // Who created or edited it were A's users, not restored here: the secrets are the point.
      JSON.stringify(copy.configs.map((r) => ({ ...(r.row as object), created_by: null, updated_by: null }))),
    ]);
    await q('INSERT INTO partner_data_keys SELECT * FROM jsonb_populate_recordset(NULL::partner_data_keys, $1) WHERE partner_id = $2', [JSON.stringify(copy.dataKeys.map((r) => r.row)), w.a.id]);

    expect(await refreshDataKeys(w.server.deps.db, onlyNew)).toMatchObject({ unreadable: 1 });
    const restoredA = await secretOf(w.a.id);
    expect(restoredA.v).toBe(2);
    let failure: unknown;
    try {
      onlyNew.decrypt(restoredA, aad(w.a.id));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SecretDecryptError);
    expect((failure as Error).message).toBe(
      `partner ${w.a.id}'s secret cannot be decrypted: its data key is wrapped under key "test1", which is not in ENCRYPTION_KEYS (retired, or the partner was offboarded)`,
    );
    expect(onlyNew.decrypt(await secretOf(w.b.id), aad(w.b.id))).toBe(plain.get(`${w.b.id}`));

    // The limitation docs/secrets.md states: whoever still holds k1 AND the copy can read A.
    const withRetiredKey = ring(`${k2},${testEncryptionKeys}`);
    await refreshDataKeys(w.server.deps.db, withRetiredKey);
    expect(withRetiredKey.decrypt(restoredA, aad(w.a.id))).toBe(plain.get(`${w.a.id}`));
  });

  it('logs the offboarding for the operator, without secrets', async () => {
    const c = await makePartner(w.server.deps.db, { name: 'Partner C' });
    await makeUser(w.server.deps.db, c.id, 'partner_admin');
    const both = ring(`${k2},${testEncryptionKeys}`);
    await refreshDataKeys(w.server.deps.db, both);
    await migrateSecretsToDataKeys(w.server.deps.db, both); // C's data key is made under k2, the newest
    const deps = { db: w.server.deps.db, log: w.server.logs.log };
    // k2 would stay, and copies taken since hold C's key under it: a newer key must come first.
    expect(await offboardPartner({ ...deps, secrets: both }, c.id, { confirm: true })).toMatchObject({ refused: 'newest_key_wraps_it' });
    expect(await rowCounts(c.id)).toMatchObject({ users: 1, partner_data_keys: 1 });

    const three = ring(`k3:${Buffer.alloc(32, 43).toString('base64')},${k2},${testEncryptionKeys}`);
    await refreshDataKeys(w.server.deps.db, three);
    const outcome = await offboardPartner({ ...deps, secrets: three }, c.id, { confirm: true });
    expect(outcome).toMatchObject({ done: true, keyId: 'k3', retireKeyIds: ['k2', 'test1'], plan: { rows: { partners: 1, users: 1, partner_data_keys: 1 } } });
    const line = w.server.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'partner.offboarded');
    expect(line).toMatchObject({ partnerId: c.id, partnerName: 'Partner C', keyId: 'k3', rows: { users: 1 } });
    expect(JSON.stringify(line)).not.toMatch(/wrapped_key|tok_offboard|"iv"|"ct"/);
    const stored: StoredSecret = await secretOf(w.b.id);
    expect(three.decrypt(stored, aad(w.b.id))).toBe(plain.get(`${w.b.id}`));
  });
});
