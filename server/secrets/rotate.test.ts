import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';
import { testCredentialsKey, testEncryptionKeys, testJwtSecret } from '../test/harness.js';
import { verifyKeyRing } from './bootCheck.js';
import { createSecretCipher, isStoredSecret, secretAad, type StoredSecret } from './cipher.js';
import { parseKeyRing } from './keyRing.js';
import { rotateSecrets } from './rotate.js';

const newKey = `k2:${Buffer.alloc(32, 42).toString('base64')}`;

describe('rotate-key', () => {
  let w: CatalogWorld;
  const plain = new Map<string, string>(); // "partner/field" → value
  beforeAll(async () => {
    w = await createCatalogWorld();
    for (const [i, p] of [w.a, w.b, w.dev].entries()) {
      const settings = validSettings({ api_token: `tok_rotate_${i}_abcdefgh`, webhook_secret: `whs_rotate_${i}_xyz`, base_url: 'https://v.example' });
      expect((await w.request('POST', '/api/integrations/testvendor/configure', p.admin, { settings })).statusCode).toBe(201);
      plain.set(`${p.id}/api_token`, settings.api_token as string);
      plain.set(`${p.id}/webhook_secret`, settings.webhook_secret as string);
    }
  });
  afterAll(() => w.close());

  async function storedSecrets() {
    const { rows } = await w.server.deps.db.pool.query<{ partner_id: number; version: number; settings: Record<string, unknown> }>(
      'SELECT partner_id, version, settings FROM integration_configurations ORDER BY partner_id',
    );
    return rows.flatMap((r) =>
      Object.entries(r.settings)
        .filter((e): e is [string, StoredSecret] => isStoredSecret(e[1]))
        .map(([field, secret]) => ({ partnerId: r.partner_id, version: r.version, field, secret })),
    );
  }

  it('is safe to interrupt: after a partial run every secret still decrypts, under one key or the other', async () => {
    const both = createSecretCipher(parseKeyRing(`${newKey},${testEncryptionKeys}`));
    const controller = new AbortController();
    const report = await rotateSecrets(w.server.deps.db, both, { batchSize: 1, signal: controller.signal, onBatch: () => controller.abort() });
    // 4 live secrets left, and the 6 of the three saved versions (issue 18), which come after.
    expect(report).toMatchObject({ interrupted: true, configurations: 1, secrets: 2, remaining: 10 });
    const secrets = await storedSecrets();
    expect(new Set(secrets.map((s) => s.secret.kid))).toEqual(new Set(['k2', 'test1']));
    for (const s of secrets) {
      const aad = secretAad({ partnerId: s.partnerId, integrationKey: 'testvendor', fieldKey: s.field });
      expect(both.decrypt(s.secret, aad)).toBe(plain.get(`${s.partnerId}/${s.field}`));
    }
  });

  it('resumes through the CLI and leaves every secret under the newest key, values and versions unchanged', async () => {
    const before = await storedSecrets();
    const env = { DATABASE_URL: w.server.database.url, JWT_SECRET: testJwtSecret, ENCRYPTION_KEYS: `${newKey},${testEncryptionKeys}`, CREDENTIALS_KEY: testCredentialsKey, DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ic-rot-')) };
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['rotate-key', '--batch-size', '2'], env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code, err.join('\n')).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual({ keyId: 'k2', configurations: 2, secrets: 10, remaining: 0, interrupted: false, dataKeysRewrapped: 0 });

    const after = await storedSecrets();
    const onlyNew = createSecretCipher(parseKeyRing(newKey));
    expect(after.map((s) => [s.partnerId, s.field, s.version, s.secret.last4])).toEqual(before.map((s) => [s.partnerId, s.field, s.version, s.secret.last4]));
    for (const s of after) {
      expect(s.secret.kid).toBe('k2');
      expect(onlyNew.decrypt(s.secret, secretAad({ partnerId: s.partnerId, integrationKey: 'testvendor', fieldKey: s.field }))).toBe(plain.get(`${s.partnerId}/${s.field}`));
    }
    // The old key can now leave the ring: a server with only the new key boots.
    await verifyKeyRing(w.server.deps.db, onlyNew);

    const again: string[] = [];
    expect(await runCli(['rotate-key'], env, { out: (l) => again.push(l), err: () => undefined })).toBe(0);
    expect(JSON.parse(again.join(''))).toMatchObject({ secrets: 0, remaining: 0 });
    expect(await runCli(['rotate-key', '--batch-size', '0'], env, { out: () => undefined, err: () => undefined })).toBe(2);
  });
});
