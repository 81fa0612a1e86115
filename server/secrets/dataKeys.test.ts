import { describe, expect, it } from 'vitest';
import { webhookSecretAad } from '../services/alerts/webhookSecret.js';
import { createSecretCipher, isRingSecret, isStoredSecret, partnerOfAad, secretAad, SecretDecryptError, type DataKeySecret } from './cipher.js';
import { newDataKey, type DataKeyRow } from './dataKeys.js';
import { parseKeyRing } from './keyRing.js';

const k1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;
const scope = (partnerId: number) => ({ partnerId, integrationKey: 'syncro', fieldKey: 'api_token' });

/** A cipher holding freshly made data keys for these partners, as the database would give them. */
function cipherWithKeys(ringText: string, partnerIds: number[], options: { dataKeyDelayMs?: number; createdAt?: Date } = {}) {
  const cipher = createSecretCipher(parseKeyRing(ringText), { dataKeyDelayMs: options.dataKeyDelayMs ?? 0 });
  const rows: DataKeyRow[] = partnerIds.map((partnerId) => ({ partnerId, createdAt: options.createdAt ?? new Date(0), ...cipher.wrapDataKey(partnerId, newDataKey()) }));
  cipher.dataKeys.apply(rows, true);
  return { cipher, rows };
}

describe('per-partner data keys (envelope encryption)', () => {
  it('encrypts a partner secret under its data key (format 2, no ring key id) and round-trips it', () => {
    const { cipher } = cipherWithKeys(k1, [7, 8]);
    const sealed = cipher.encrypt('correct horse battery', secretAad(scope(7)));
    expect(sealed).toMatchObject({ v: 2, pid: 7, last4: 'tery' });
    expect(sealed).not.toHaveProperty('kid');
    expect(isStoredSecret(sealed) && !isRingSecret(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('correct horse');
    expect(cipher.decrypt(sealed, secretAad(scope(7)))).toBe('correct horse battery');
    // Webhook secrets follow the same AAD convention, so they get the data key without asking.
    expect(cipher.encrypt('whsec-0123456789', webhookSecretAad(8))).toMatchObject({ v: 2, pid: 8 });
  });

  it('refuses another partner (AAD and key), a forged partner id, tampering, and a cipher without the key', () => {
    const { cipher, rows } = cipherWithKeys(k1, [7, 8]);
    const sealed = cipher.encrypt('bound to partner seven', secretAad(scope(7))) as DataKeySecret;
    const attempts = [
      () => cipher.decrypt(sealed, secretAad(scope(8))),
      () => cipher.decrypt({ ...sealed, pid: 8 }, secretAad(scope(8))),
      () => cipher.decrypt({ ...sealed, ct: Buffer.from('x'.repeat(22)).toString('base64') }, secretAad(scope(7))),
      () => createSecretCipher(parseKeyRing(k1)).decrypt(sealed, secretAad(scope(7))),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(SecretDecryptError);
    // The same key rows on another instance with the same ring: it reads the secret.
    const other = createSecretCipher(parseKeyRing(k1));
    other.dataKeys.apply(rows, true);
    expect(other.decrypt(sealed, secretAad(scope(7)))).toBe('bound to partner seven');
  });

  it('keeps the ring for what names no partner: key checks (even a numeric key id) and foreign AADs', () => {
    const { cipher } = cipherWithKeys(k1, [1, 7]);
    expect(partnerOfAad(secretAad(scope(7)))).toBe(7);
    expect(partnerOfAad('ic-oauth-token:v1|7|x')).toBe(7);
    expect(partnerOfAad('ic-key-check:v1|1')).toBeUndefined();
    expect(partnerOfAad('ic-data-key:v1|7')).toBeUndefined();
    expect(partnerOfAad('draft:7:api_token')).toBeUndefined();
    expect(partnerOfAad('ic-secret:v1|0|a|b')).toBeUndefined();
    expect(cipher.encrypt('check', 'ic-key-check:v1|1', 'k1')).toMatchObject({ v: 1, kid: 'k1' });
    expect(cipher.encrypt('x', secretAad(scope(7)), 'k1')).toMatchObject({ v: 1, kid: 'k1' });
    expect(cipher.encrypt('no partner here', 'other:7')).toMatchObject({ v: 1, kid: 'k1' });
    // A partner without a data key yet: the ring, as before the upgrade.
    expect(cipher.encrypt('new partner', secretAad(scope(9)))).toMatchObject({ v: 1, kid: 'k1' });
  });

  it('re-encrypts deterministically from the old ciphertext: one ciphertext stays one, another stays another', () => {
    const { cipher } = cipherWithKeys(k1, [7], { dataKeyDelayMs: 60_000, createdAt: new Date() });
    const old = cipher.encrypt('kept across versions 0001', secretAad(scope(7)));
    const other = cipher.encrypt('kept across versions 0001', secretAad(scope(7)));
    expect(old.v).toBe(1); // the key is too new to encrypt yet
    const withKey = createSecretCipher(parseKeyRing(k1), { dataKeyDelayMs: 0 });
    withKey.dataKeys.apply([{ partnerId: 7, createdAt: new Date(0), ...withKey.wrapDataKey(7, newDataKey()) }], true);
    const a = withKey.reencrypt(old, secretAad(scope(7)));
    expect(a).toMatchObject({ v: 2, pid: 7, last4: '0001' });
    expect(withKey.reencrypt(old, secretAad(scope(7)))).toEqual(a);
    expect(withKey.reencrypt(other, secretAad(scope(7))).ct).not.toBe(a.ct);
    expect(withKey.decrypt(a, secretAad(scope(7)))).toBe('kept across versions 0001');
    // Without a usable data key it goes under the newest ring key, deterministically too.
    const ringOnly = createSecretCipher(parseKeyRing(`${k2},${k1}`));
    const r = ringOnly.reencrypt(old, secretAad(scope(7)));
    expect(r).toMatchObject({ v: 1, kid: 'k2' });
    expect(ringOnly.reencrypt(old, secretAad(scope(7)))).toEqual(r);
  });

  it('a new data key decrypts at once but encrypts only after the delay (until every instance has loaded it)', () => {
    const now = Date.now();
    const { cipher, rows } = cipherWithKeys(k1, [7], { dataKeyDelayMs: 60_000, createdAt: new Date(now) });
    expect(cipher.encrypt('too early', secretAad(scope(7)))).toMatchObject({ v: 1, kid: 'k1' });
    expect(cipher.dataKeys.usable(7, now + 60_000)).toBeDefined();
    const eager = createSecretCipher(parseKeyRing(k1), { dataKeyDelayMs: 0 });
    eager.dataKeys.apply(rows, true);
    const sealed = eager.encrypt('made elsewhere', secretAad(scope(7)));
    expect(sealed.v).toBe(2);
    expect(cipher.decrypt(sealed, secretAad(scope(7)))).toBe('made elsewhere');
  });

  it('a rewrapped row holds the same key; a row under a retired ring key is unreadable, saying why', () => {
    const { cipher, rows } = cipherWithKeys(k1, [7]);
    const sealed = cipher.encrypt('survives rewrapping', secretAad(scope(7)));
    const both = createSecretCipher(parseKeyRing(`${k2},${k1}`), { dataKeyDelayMs: 0 });
    both.dataKeys.apply(rows, true);
    const row = rows[0] as DataKeyRow;
    const unwrapped = both.unwrapDataKey(7, row);
    if ('error' in unwrapped) throw new Error(unwrapped.error);
    const rewrapped = { ...row, ...both.wrapDataKey(7, unwrapped.key) };
    expect(rewrapped.kid).toBe('k2');
    // Bound to its partner: the same wrapped key does not unwrap as another partner's.
    expect(both.unwrapDataKey(8, rewrapped)).toHaveProperty('error');

    const onlyNew = createSecretCipher(parseKeyRing(k2), { dataKeyDelayMs: 0 });
    expect(onlyNew.dataKeys.apply([rewrapped], true)).toEqual({ loaded: 1, unreadable: 0 });
    expect(onlyNew.decrypt(sealed, secretAad(scope(7)))).toBe('survives rewrapping');
    expect(onlyNew.dataKeys.apply([row], true)).toEqual({ loaded: 0, unreadable: 1 });
    expect(() => onlyNew.decrypt(sealed, secretAad(scope(7)))).toThrow(/wrapped under key "k1", which is not in ENCRYPTION_KEYS/);
    // A complete load without the partner forgets it.
    onlyNew.dataKeys.apply([rewrapped], true);
    onlyNew.dataKeys.apply([], true);
    expect(() => onlyNew.decrypt(sealed, secretAad(scope(7)))).toThrow(/has no data key/);
  });
});
