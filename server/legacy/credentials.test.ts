import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { startRuntime } from '../runtime.js';
import { createMspBackupsWorld, type MspBackupsWorld } from '../test/mspbackupsWorld.js';
import { testEncryptionKeys, testJwtSecret } from '../test/harness.js';
import { verifyCredentialsKey } from './bootCheck.js';
import { createCredentialsCipher, CredentialsDecryptError, parseCredentialsKey } from './credentials.js';
import { credentialsKeyFileName, loadCredentialsCipher } from './loadCredentialsKey.js';

const key = (byte: number) => Buffer.alloc(32, byte);

describe('the legacy credentials module', () => {
  it('round-trips with a fresh nonce each time, and refuses a wrong key, an altered value or another format', () => {
    const cipher = createCredentialsCipher(key(1));
    const sealed = cipher.encrypt('Passwört-ß-パス');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toBe(cipher.encrypt('Passwört-ß-パス'));
    expect(cipher.decrypt(sealed)).toBe('Passwört-ß-パス');
    expect(() => createCredentialsCipher(key(2)).decrypt(sealed)).toThrow(CredentialsDecryptError);
    const [v, iv, tag, ct] = sealed.split(':') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => cipher.decrypt([v, iv, tag, flipped.toString('base64')].join(':'))).toThrow(CredentialsDecryptError);
    for (const bad of ['', 'plain text', 'v2:a:b:c', `${sealed}:extra`]) expect(() => cipher.decrypt(bad)).toThrow(CredentialsDecryptError);
  });

  it('takes a 32-byte base64 key and never quotes it in a refusal', () => {
    expect(parseCredentialsKey(key(3).toString('base64')).equals(key(3))).toBe(true);
    expect(parseCredentialsKey(key(3).toString('base64url')).equals(key(3))).toBe(true);
    const short = Buffer.alloc(16, 4).toString('base64');
    expect(() => parseCredentialsKey(short)).toThrow(/32 bytes/);
    expect(() => parseCredentialsKey(short)).not.toThrow(new RegExp(short.slice(0, 8)));
  });

  it('generates and keeps a key in DATA_DIR for the embedded default (mode 0600), and requires one with DATABASE_URL', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-cred-'));
    const first = await loadCredentialsCipher({ dataDir, databaseUrl: undefined, credentialsKey: undefined });
    const second = await loadCredentialsCipher({ dataDir, databaseUrl: undefined, credentialsKey: undefined });
    expect(second.decrypt(first.encrypt('kept across restarts'))).toBe('kept across restarts');
    expect((await stat(path.join(dataDir, credentialsKeyFileName))).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(path.join(dataDir, credentialsKeyFileName), 'utf8')).trim(), 'base64')).toHaveLength(32);

    await expect(loadCredentialsCipher({ dataDir, databaseUrl: 'postgres://x@127.0.0.1/db', credentialsKey: undefined })).rejects.toThrow(/CREDENTIALS_KEY: set it when DATABASE_URL is set/);
    await expect(loadCredentialsCipher({ dataDir, databaseUrl: undefined, credentialsKey: 'not-a-key' })).rejects.toThrow(ConfigError);
    const base = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', JWT_SECRET: testJwtSecret, ENCRYPTION_KEYS: testEncryptionKeys, DATA_DIR: dataDir };
    await expect(startRuntime(loadConfig(base), createLogger({ level: 'silent' }))).rejects.toThrow(/CREDENTIALS_KEY/);
  });
});

describe('the CREDENTIALS_KEY boot check', () => {
  let w: MspBackupsWorld;
  beforeAll(async () => {
    w = await createMspBackupsWorld();
  });
  afterAll(() => w.close());

  it('passes with nothing stored or the right key, and stops the server on a key that cannot read the stored passwords', async () => {
    const db = w.server.deps.db;
    await verifyCredentialsKey(db, createCredentialsCipher(key(5)));
    const partner = await w.partner();
    await w.seedLegacy(partner.id, { apiLogin: 'x', apiPassword: 'stored-password', enabled: true });
    await verifyCredentialsKey(db, w.server.deps.legacyCredentials);
    await expect(verifyCredentialsKey(db, createCredentialsCipher(key(5)))).rejects.toThrow(/CREDENTIALS_KEY: does not decrypt the stored MSPBackups passwords/);
    const config = loadConfig({
      DATABASE_URL: w.server.database.url,
      JWT_SECRET: testJwtSecret,
      ENCRYPTION_KEYS: testEncryptionKeys,
      CREDENTIALS_KEY: key(5).toString('base64'),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ic-cred-')),
    });
    await expect(startRuntime(config, createLogger({ level: 'silent' }))).rejects.toThrow(/CREDENTIALS_KEY/);
  });
});
