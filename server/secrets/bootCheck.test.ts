import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { startRuntime } from '../runtime.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';
import { testCredentialsKey, testEncryptionKeys, testJwtSecret } from '../test/harness.js';
import { verifyKeyRing } from './bootCheck.js';
import { createSecretCipher } from './cipher.js';
import { parseKeyRing } from './keyRing.js';
import { keyRingFileName, loadKeyRing } from './loadKeyRing.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const ring = (text: string) => createSecretCipher(parseKeyRing(text));
const silent = createLogger({ level: 'silent' });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

describe('loading the key ring', () => {
  it('generates and keeps one in DATA_DIR for the embedded default (mode 0600)', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-keys-'));
    const first = await loadKeyRing({ dataDir, databaseUrl: undefined, encryptionKeys: undefined });
    const second = await loadKeyRing({ dataDir, databaseUrl: undefined, encryptionKeys: undefined });
    expect(second.current.id).toBe(first.current.id);
    expect(second.current.key.equals(first.current.key)).toBe(true);
    expect((await stat(path.join(dataDir, keyRingFileName))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dataDir, keyRingFileName), 'utf8')).toMatch(/^k\d{8}-[0-9a-f]{6}:/);
  });

  it('refuses to start with DATABASE_URL but no ENCRYPTION_KEYS, or a malformed ring, before touching the database', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-keys-'));
    const base = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', JWT_SECRET: testJwtSecret, DATA_DIR: dataDir };
    expect(await refusal(startRuntime(loadConfig(base), silent))).toMatch(/ENCRYPTION_KEYS: set it when DATABASE_URL is set/);
    const malformed = await refusal(startRuntime(loadConfig({ ...base, ENCRYPTION_KEYS: `k1:${Buffer.alloc(8, 1).toString('base64')}` }), silent));
    expect(malformed).toMatch(/ENCRYPTION_KEYS: key "k1" must be 32 bytes/);
  });
});

describe('the boot check against stored secrets', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld(); // its ring is testEncryptionKeys ("test1")
    await w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, { settings: validSettings() });
    await w.request('POST', '/api/integrations/testvendor/configure', w.b.admin, { settings: validSettings() });
  });
  afterAll(() => w.close());
  const db = () => w.server.deps.db;

  it('passes with the right ring, also with a newer key in front (which it records)', async () => {
    await verifyKeyRing(db(), ring(testEncryptionKeys));
    await verifyKeyRing(db(), ring(`next:${key(5)},${testEncryptionKeys}`));
    const { rows } = await db().pool.query<{ kid: string }>('SELECT kid FROM encryption_key_checks ORDER BY kid');
    expect(rows.map((r) => r.kid)).toEqual(['next', 'test1']);
  });

  it('stops on a missing key id, naming it and how many secrets it encrypts', async () => {
    const message = await refusal(verifyKeyRing(db(), ring(`other:${key(6)}`)));
    expect(message).toContain('no key "test1", which encrypts 2 stored secret(s)');
  });

  it('stops on a wrong value under a known id, and does not quote key material', async () => {
    const wrong = key(9);
    const message = await refusal(verifyKeyRing(db(), ring(`test1:${wrong}`)));
    expect(message).toContain('key "test1" is not the key this database knows');
    expect(message).not.toContain(wrong);
    // A newer key whose value differs from the one first recorded under its id is refused too.
    expect(await refusal(verifyKeyRing(db(), ring(`next:${key(7)},${testEncryptionKeys}`)))).toContain('key "next"');
  });

  it('stops when stored secrets do not decrypt even without a recorded check', async () => {
    await db().pool.query(`DELETE FROM encryption_key_checks`);
    const message = await refusal(verifyKeyRing(db(), ring(`test1:${key(9)}`)));
    expect(message).toContain('key "test1" does not decrypt the stored secrets');
  });

  it('makes startRuntime refuse to boot with a ring that cannot read the database', async () => {
    const config = loadConfig({
      DATABASE_URL: w.server.database.url,
      JWT_SECRET: testJwtSecret,
      ENCRYPTION_KEYS: `fresh:${key(4)}`,
      CREDENTIALS_KEY: testCredentialsKey,
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ic-keys-')),
    });
    expect(await refusal(startRuntime(config, silent))).toContain('no key "test1"');
  });
});
