import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPartner } from '../db/pool.js';
import { webhookSecretAad } from '../services/alerts/webhookSecret.js';
import { setWebhook } from '../services/alerts/webhooks.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';
import { makePartner } from '../test/factories.js';
import { captureLogs } from '../test/logCapture.js';
import { testEncryptionKeys } from '../test/harness.js';
import { verifyKeyRing } from './bootCheck.js';
import { createSecretCipher, isStoredSecret, secretAad, type SecretCipher, type StoredSecret } from './cipher.js';
import { parseKeyRing } from './keyRing.js';
import { createDataKeyMaintenance, migrateSecretsToDataKeys, refreshDataKeys, rotateRing, startDataKeyMaintenance } from './partnerKeys.js';

const k2 = `k2:${Buffer.alloc(32, 42).toString('base64')}`;
const ring = (text: string) => createSecretCipher(parseKeyRing(text), { dataKeyDelayMs: 0 });

interface Found {
  where: string;
  partnerId: number;
  aad: string;
  secret: StoredSecret;
}

describe('partner data keys against the database', () => {
  let w: CatalogWorld;
  const q = <R extends object>(text: string, values: unknown[] = []) => w.server.deps.db.pool.query<R & pg.QueryResultRow>(text, values).then((r) => r.rows);

  /** Every stored secret: live settings, saved versions and webhook secrets, with its AAD. */
  async function allSecrets(): Promise<Found[]> {
    const found: Found[] = [];
    const settingsRows = [
      ...(await q<{ partner_id: number; integration_key: string; settings: Record<string, unknown> }>('SELECT partner_id, integration_key, settings FROM integration_configurations')).map((r) => ({ ...r, where: 'config' })),
      ...(await q<{ partner_id: number; integration_key: string; settings: Record<string, unknown>; version: number }>('SELECT partner_id, integration_key, settings, version FROM integration_config_versions')).map((r) => ({ ...r, where: `version ${r.version}` })),
    ];
    for (const r of settingsRows) {
      for (const [fieldKey, value] of Object.entries(r.settings)) {
        if (isStoredSecret(value)) found.push({ where: `${r.where} ${r.partner_id}/${fieldKey}`, partnerId: r.partner_id, aad: secretAad({ partnerId: r.partner_id, integrationKey: r.integration_key, fieldKey }), secret: value });
      }
    }
    for (const r of await q<{ partner_id: number; secret: StoredSecret }>('SELECT partner_id, secret FROM partner_webhooks')) {
      found.push({ where: `webhook ${r.partner_id}`, partnerId: r.partner_id, aad: webhookSecretAad(r.partner_id), secret: r.secret });
    }
    return found.sort((a, b) => a.where.localeCompare(b.where));
  }
  const plaintexts = (cipher: SecretCipher, secrets: Found[]) => secrets.map((s) => [s.where, cipher.decrypt(s.secret, s.aad)]);

  beforeAll(async () => {
    w = await createCatalogWorld({ env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' } });
    // Saved before the upgrade: every secret under the ring directly (no data keys yet).
    for (const p of [w.a, w.b]) {
      expect((await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings: validSettings({ webhook_secret: `whs_${p.id}_parity`, base_url: 'https://v.example' }) })).statusCode).toBe(201);
      await setWebhook(w.server.deps, p.id, { userId: null, actor: 'test' }, { url: 'http://127.0.0.1:9/hook', secret: `alert-secret-${p.id}-0123456789` });
    }
    // A's version 2 keeps both secrets (omitted): in the history it changed the subdomain only.
    const edit = await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: { subdomain: 'acme-two', region: 'us', base_url: 'https://v.example' }, baseVersion: 1 });
    expect(edit.statusCode).toBe(200);
  });
  afterAll(() => w.close());

  it('migrates every old-format secret onto its partner data key with the same plaintext (parity), resumably', async () => {
    const before = await allSecrets();
    expect(before.length).toBe(12); // per partner: 2 live, the same 2 in each saved version (A: 2, B: 1), the alert webhook's
    expect(before.every((s) => s.secret.v === 1)).toBe(true);
    const expected = plaintexts(w.server.deps.secrets, before);

    const interrupted = new AbortController();
    const partial = await migrateSecretsToDataKeys(w.server.deps.db, w.server.deps.secrets, { batchSize: 1, signal: interrupted.signal, onBatch: () => interrupted.abort() });
    expect(partial).toMatchObject({ interrupted: true, secrets: 2 });
    expect(partial.remaining).toBe(10);
    // Mixed formats meanwhile: everything still reads.
    expect(plaintexts(w.server.deps.secrets, await allSecrets())).toEqual(expected);

    const report = await migrateSecretsToDataKeys(w.server.deps.db, w.server.deps.secrets);
    expect(report).toMatchObject({ remaining: 0, interrupted: false });
    const after = await allSecrets();
    expect(after.map((s) => [s.where, s.secret.v, s.secret.v === 2 && s.secret.pid === s.partnerId, s.secret.last4])).toEqual(
      before.map((s) => [s.where, 2, true, s.secret.last4]),
    );
    expect(plaintexts(w.server.deps.secrets, after)).toEqual(expected);
    // Secrets that were one ciphertext still are: version history still sees A's secrets as kept.
    const history = await w.request('GET', '/api/integrations/testvendor/versions', w.a.admin);
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((v: { version: number; changes: { field: string }[] }) => [v.version, v.changes.map((c) => c.field)])).toEqual([
      [2, ['subdomain']],
      [1, expect.arrayContaining(['api_token', 'webhook_secret'])],
    ]);
    // Another instance, with only the ring and the table, reads them too.
    const other = ring(testEncryptionKeys);
    await refreshDataKeys(w.server.deps.db, other);
    expect(plaintexts(other, after)).toEqual(expected);
    // And the server's own paths: a health check decrypts the settings and hands the plugin the token.
    w.vendor.checks.length = 0;
    expect((await w.request('POST', '/api/integrations/testvendor/test', w.a.admin, {})).statusCode).toBe(200);
    expect(w.vendor.checks.map((c) => c.api_token)).toEqual([expected.find(([where]) => where === `config ${w.a.id}/api_token`)?.[1]]);
    expect(await migrateSecretsToDataKeys(w.server.deps.db, w.server.deps.secrets)).toMatchObject({ secrets: 0, remaining: 0 });
    // New secrets go straight onto the data key.
    const res = await w.request('POST', '/api/integrations/testvendor/configure', w.dev.admin, { settings: validSettings() });
    expect(res.statusCode).toBe(201);
    const [devRow] = await q<{ settings: Record<string, { v: number }> }>('SELECT settings FROM integration_configurations WHERE partner_id = $1', [w.dev.id]);
    expect(devRow?.settings.api_token?.v).toBe(2);
  });

  it('rotating the ring rewraps the data keys only: every secret ciphertext unchanged, readable with the new key alone', async () => {
    const secretsBefore = await allSecrets();
    const keysBefore = await q<{ partner_id: number; kid: string }>('SELECT partner_id, kid FROM partner_data_keys ORDER BY partner_id');
    expect(keysBefore.map((k) => k.kid)).toEqual(['test1', 'test1', 'test1']);
    const expected = plaintexts(w.server.deps.secrets, secretsBefore);

    const both = ring(`${k2},${testEncryptionKeys}`);
    await refreshDataKeys(w.server.deps.db, both);
    const report = await rotateRing(w.server.deps.db, both);
    expect(report).toMatchObject({ keyId: 'k2', secrets: 0, remaining: 0, dataKeysRewrapped: 3 });
    expect(await allSecrets()).toEqual(secretsBefore); // not one ciphertext touched
    expect((await q<{ kid: string }>('SELECT kid FROM partner_data_keys')).map((k) => k.kid)).toEqual(['k2', 'k2', 'k2']);

    const onlyNew = ring(k2);
    await verifyKeyRing(w.server.deps.db, onlyNew); // the old key can leave the ring
    expect(await refreshDataKeys(w.server.deps.db, onlyNew)).toEqual({ loaded: 3, unreadable: 0 });
    expect(plaintexts(onlyNew, secretsBefore)).toEqual(expected);
    expect((await rotateRing(w.server.deps.db, both)).dataKeysRewrapped).toBe(0);
  });

  it('refuses to boot with a ring missing the key that wraps the data keys', async () => {
    await expect(verifyKeyRing(w.server.deps.db, ring(testEncryptionKeys))).rejects.toThrow(/no key "k2", which wraps 3 partner data key\(s\)/);
  });

  it('isolation: a partner-scoped transaction sees only its own data key row and cannot write any', async () => {
    const seen = await withPartner(w.server.deps.db, w.a.id, (tx) => tx.query<{ partner_id: number }>('SELECT partner_id FROM partner_data_keys'));
    expect(seen.rows.map((r) => r.partner_id)).toEqual([w.a.id]);
    await expect(withPartner(w.server.deps.db, w.a.id, (tx) => tx.query('DELETE FROM partner_data_keys WHERE partner_id = $1', [w.b.id]))).rejects.toThrow(/permission denied/);
    await expect(withPartner(w.server.deps.db, w.a.id, (tx) => tx.query("UPDATE partner_data_keys SET kid = 'x' WHERE partner_id = $1", [w.a.id]))).rejects.toThrow(/permission denied/);
  });

  it('in the background, a new partner gets a data key and its old-format secrets move onto it', async () => {
    const onlyNew = ring(k2);
    await refreshDataKeys(w.server.deps.db, onlyNew);
    const late = await makePartner(w.server.deps.db, { name: 'Late Partner' });
    const sealed = onlyNew.encrypt('alert-secret-late-0123456789', webhookSecretAad(late.id));
    expect(sealed.v).toBe(1); // no data key yet
    await q('INSERT INTO partner_webhooks (partner_id, url, secret) VALUES ($1, $2, $3)', [late.id, 'http://127.0.0.1:9/late', JSON.stringify(sealed)]);
    const logs = captureLogs();
    const maintenance = startDataKeyMaintenance({ db: w.server.deps.db, secrets: onlyNew, log: logs.log }, { intervalMs: 20 });
    try {
      await expect.poll(async () => (await q<{ v: number }>("SELECT (secret->>'v')::int AS v FROM partner_webhooks WHERE partner_id = $1", [late.id]))[0]?.v, { timeout: 5_000 }).toBe(2);
    } finally {
      await maintenance.stop();
    }
    const [row] = await q<{ secret: StoredSecret }>('SELECT secret FROM partner_webhooks WHERE partner_id = $1', [late.id]);
    expect(onlyNew.decrypt(row!.secret, webhookSecretAad(late.id))).toBe('alert-secret-late-0123456789');
    expect(logs.text()).not.toContain('alert-secret-late');
  });

  it('scans for old-format secrets only when something may have written one since the last scan', async () => {
    const cipher = ring(k2);
    await refreshDataKeys(w.server.deps.db, cipher);
    const maintenance = createDataKeyMaintenance({ db: w.server.deps.db, secrets: cipher, log: captureLogs().log });
    expect(await maintenance.pass()).toBe(true); // the first pass always scans
    expect(await maintenance.pass()).toBe(false);
    await makePartner(w.server.deps.db, { name: 'Later Still' });
    expect(await maintenance.pass()).toBe(true); // it made a data key
    expect(await maintenance.pass()).toBe(false);
    cipher.encrypt('no data key for this one', webhookSecretAad(999_999)); // a ring fallback
    expect(await maintenance.pass()).toBe(true);
    expect(await maintenance.pass()).toBe(false);
  });
});
