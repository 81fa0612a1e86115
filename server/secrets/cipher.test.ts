import { describe, expect, it } from 'vitest';
import { createSecretCipher, isStoredSecret, secretAad, SecretDecryptError, type RingSecret } from './cipher.js';
import { generateKeyRingEntry, KeyRingError, parseKeyRing } from './keyRing.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const scope = { partnerId: 7, integrationKey: 'syncro', fieldKey: 'api_token' };

describe('key ring', () => {
  it('parses id:base64 entries newest first, in standard or URL-safe base64', () => {
    const urlSafe = Buffer.alloc(32, 0xfb).toString('base64url');
    const ring = parseKeyRing(` new:${key(2)} , old:${urlSafe}`);
    expect(ring.current.id).toBe('new');
    expect([...ring.keys.keys()]).toEqual(['new', 'old']);
    expect(ring.keys.get('old')?.key.equals(Buffer.alloc(32, 0xfb))).toBe(true);
    expect(parseKeyRing(generateKeyRingEntry()).current.key).toHaveLength(32);
  });

  it('refuses bad rings with messages that never quote key material', () => {
    const material = Buffer.alloc(16, 9).toString('base64');
    for (const text of ['', 'nokey', `:${key(1)}`, `a b:${key(1)}`, `k1:${material}`, `k1:${key(1)},k1:${key(2)}`, 'k1:not base64!!']) {
      let message = '';
      try {
        parseKeyRing(text);
      } catch (error) {
        expect(error).toBeInstanceOf(KeyRingError);
        message = (error as Error).message;
      }
      expect(message, text).not.toBe('');
      expect(message).not.toContain(material);
      expect(message).not.toContain(key(1));
    }
  });
});

describe('AES-256-GCM envelope', () => {
  const cipher = createSecretCipher(parseKeyRing(`k2:${key(2)},k1:${key(1)}`));

  it('round-trips under the newest key with a fresh nonce each time, and keeps last4 for long secrets only', () => {
    const a = cipher.encrypt('correct horse battery', secretAad(scope));
    const b = cipher.encrypt('correct horse battery', secretAad(scope));
    expect(a.kid).toBe('k2');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(isStoredSecret(a)).toBe(true);
    expect(JSON.stringify(a)).not.toContain('correct horse');
    expect(cipher.decrypt(a, secretAad(scope))).toBe('correct horse battery');
    expect(a.last4).toBe('tery');
    expect(cipher.encrypt('short', secretAad(scope)).last4).toBeNull();
  });

  it('decrypts with an older key of the ring', () => {
    const old = cipher.encrypt('made with the old key', secretAad(scope), 'k1');
    expect(old.kid).toBe('k1');
    expect(cipher.decrypt(old, secretAad(scope))).toBe('made with the old key');
  });

  it('refuses another partner, integration or field (AAD), tampering, truncated tags and unknown keys', () => {
    const sealed = cipher.encrypt('bound to its place', secretAad(scope));
    const attempts = [
      () => cipher.decrypt(sealed, secretAad({ ...scope, partnerId: 8 })),
      () => cipher.decrypt(sealed, secretAad({ ...scope, integrationKey: 'msp360' })),
      () => cipher.decrypt(sealed, secretAad({ ...scope, fieldKey: 'password' })),
      () => cipher.decrypt({ ...sealed, ct: Buffer.from('x'.repeat(18)).toString('base64') }, secretAad(scope)),
      () => cipher.decrypt({ ...sealed, tag: Buffer.from(sealed.tag, 'base64').subarray(0, 4).toString('base64') }, secretAad(scope)),
      () => cipher.decrypt({ ...(sealed as RingSecret), kid: 'k9' }, secretAad(scope)),
      () => createSecretCipher(parseKeyRing(`k2:${key(3)}`)).decrypt(sealed, secretAad(scope)),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(SecretDecryptError);
  });
});
