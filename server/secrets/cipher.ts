import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DataKeyCache, unwrapDataKey, wrapDataKey, type WrappedDataKey } from './dataKeys.js';
import type { KeyRing, RingKey } from './keyRing.js';

/**
 * A secret as stored in a configuration's settings JSONB: AES-256-GCM ciphertext with its random
 * 96-bit nonce, tag and the id of the key that made it (so keys rotate), plus the last four
 * characters the UI shows (only for secrets long enough that four characters give little away).
 * Format 1 is encrypted by a ring key directly (kid); format 2 (issue 18 §3) by the data key of
 * partner `pid`, itself wrapped by the ring (dataKeys.ts). Format 2 has no kid on purpose: ring
 * rotation, which looks for secrets under an older kid, rewraps the data keys and passes these by.
 */
export interface RingSecret {
  v: 1;
  kid: string;
  iv: string;
  ct: string;
  tag: string;
  last4: string | null;
}

export interface DataKeySecret {
  v: 2;
  pid: number;
  /** Never set: lets code written for format 1 read `.kid` (undefined here) and compile. */
  kid?: undefined;
  iv: string;
  ct: string;
  tag: string;
  last4: string | null;
}

export type StoredSecret = RingSecret | DataKeySecret;

/** Where a secret belongs. It is bound into the ciphertext (AAD), so a copy elsewhere won't decrypt. */
export interface SecretScope {
  partnerId: number;
  integrationKey: string;
  fieldKey: string;
}

export class SecretDecryptError extends Error {
  override name = 'SecretDecryptError';
}

/** Secrets shorter than this show no last four characters. */
export const minLengthForLast4 = 12;

export function secretAad(scope: SecretScope): string {
  return `ic-secret:v1|${scope.partnerId}|${scope.integrationKey}|${scope.fieldKey}`;
}

export function isStoredSecret(value: unknown): value is StoredSecret {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.iv !== 'string' || typeof v.ct !== 'string' || typeof v.tag !== 'string') return false;
  return (v.v === 1 && typeof v.kid === 'string') || (v.v === 2 && Number.isSafeInteger(v.pid));
}

/** A format-1 secret (under a ring key): the only kind ring rotation re-encrypts. */
export const isRingSecret = (value: unknown): value is RingSecret => isStoredSecret(value) && value.v === 1;

/**
 * The partner a secret's AAD belongs to. Every partner secret's AAD is written
 * `ic-<purpose>:v<n>|<partnerId>|…` (secretAad, webhookSecretAad, tokenAad), so a caller that
 * follows the convention gets the partner's data key without naming it; anything else (the
 * ring's key checks, data keys themselves) stays under the ring.
 */
export function partnerOfAad(aad: string): number | undefined {
  const match = /^ic-([a-z0-9-]+):v\d+\|(\d{1,15})(?:\||$)/.exec(aad);
  if (!match || match[1] === 'key-check' || match[1] === 'data-key') return undefined;
  const partnerId = Number(match[2]);
  return partnerId > 0 ? partnerId : undefined;
}

export interface SecretCipher {
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  hasKey(kid: string): boolean;
  /**
   * Encrypts under the data key of the partner the AAD names (partnerOfAad), once this process
   * holds a usable one; otherwise under the newest ring key. A named kid (key checks) always
   * means that ring key.
   */
  encrypt(plaintext: string, aad: string, kid?: string): StoredSecret;
  /** Decrypts or throws SecretDecryptError (unknown key id, no data key, wrong key, tampering, wrong scope). */
  decrypt(stored: StoredSecret, aad: string): string;
  /**
   * For rotation and migration: the same secret under the key encrypt() would use now, last4
   * kept. Its nonce is derived from the old ciphertext (a synthetic IV) instead of drawn at
   * random, so secrets that were one ciphertext stay one (version history tells "changed" from
   * "kept" by comparing ciphertexts), however the rows are batched or runs interrupted. A nonce
   * repeats only for the same old ciphertext, i.e. the same plaintext and AAD: nothing leaks
   * that the equal old ciphertexts did not show already.
   */
  reencrypt(stored: StoredSecret, aad: string): StoredSecret;
  /** Issue 18 §3: the partners' data keys held by this process (loaded by partnerKeys.ts). */
  readonly dataKeys: DataKeyCache;
  /** A data key wrapped under the newest ring key, for storing. */
  wrapDataKey(partnerId: number, key: Buffer): WrappedDataKey;
  /** A stored data key unwrapped by the ring, or why not (never key material). */
  unwrapDataKey(partnerId: number, stored: WrappedDataKey): { key: Buffer } | { error: string };
}

function syntheticIv(key: Buffer, aad: string, from: StoredSecret): Buffer {
  // A subkey, so the AES key itself never also keys an HMAC.
  const ivKey = createHmac('sha256', key).update('ic-synthetic-iv:v1').digest();
  return createHmac('sha256', ivKey).update(`${aad}\0${from.iv}\0${from.ct}\0${from.tag}`).digest().subarray(0, 12);
}

function seal(key: Buffer, plaintext: string, aad: string, iv: Buffer = randomBytes(12)) {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    last4: plaintext.length >= minLengthForLast4 ? plaintext.slice(-4) : null,
  };
}

function open(key: Buffer, stored: StoredSecret, aad: string, failure: string): string {
  try {
    // A fixed 16-byte tag: a shortened tag would weaken the authentication.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(stored.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(stored.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    // Node's message says nothing secret, but a fixed one keeps it that way.
    throw new SecretDecryptError(failure);
  }
}

/**
 * `dataKeyDelayMs`: how long after its creation a partner's data key starts encrypting (see
 * DataKeyCache); tests that load keys themselves pass 0.
 */
export function createSecretCipher(ring: KeyRing, options: { dataKeyDelayMs?: number } = {}): SecretCipher {
  const keyFor = (kid: string): RingKey => {
    const key = ring.keys.get(kid);
    if (!key) throw new SecretDecryptError(`no key "${kid}" in ENCRYPTION_KEYS`);
    return key;
  };
  const dataKeys = new DataKeyCache(ring, options.dataKeyDelayMs ?? 60_000);
  const cipher: SecretCipher = {
    currentKeyId: ring.current.id,
    keyIds: [...ring.keys.keys()],
    hasKey: (kid) => ring.keys.has(kid),
    dataKeys,
    wrapDataKey: (partnerId, key) => wrapDataKey(ring, partnerId, key),
    unwrapDataKey: (partnerId, stored) => unwrapDataKey(ring, partnerId, stored),
    encrypt(plaintext, aad, kid) {
      const partnerId = kid === undefined ? partnerOfAad(aad) : undefined;
      const dataKey = partnerId === undefined ? undefined : dataKeys.usable(partnerId);
      if (partnerId !== undefined && dataKey) return { v: 2, pid: partnerId, ...seal(dataKey, plaintext, aad) };
      if (partnerId !== undefined) dataKeys.ringFallbacks++;
      const ringKid = kid ?? ring.current.id;
      return { v: 1, kid: ringKid, ...seal(keyFor(ringKid).key, plaintext, aad) };
    },
    reencrypt(stored, aad) {
      const plaintext = cipher.decrypt(stored, aad);
      const partnerId = partnerOfAad(aad);
      const dataKey = partnerId === undefined ? undefined : dataKeys.usable(partnerId);
      const sealed =
        partnerId !== undefined && dataKey
          ? { v: 2 as const, pid: partnerId, ...seal(dataKey, plaintext, aad, syntheticIv(dataKey, aad, stored)) }
          : { v: 1 as const, kid: ring.current.id, ...seal(ring.current.key, plaintext, aad, syntheticIv(ring.current.key, aad, stored)) };
      return { ...sealed, last4: stored.last4 };
    },
    decrypt(stored, aad) {
      if (stored.v === 1) return open(keyFor(stored.kid).key, stored, aad, `key "${stored.kid}" does not decrypt this secret (wrong key, or data altered)`);
      const dataKey = dataKeys.get(stored.pid);
      if (!dataKey) throw new SecretDecryptError(`partner ${stored.pid}'s secret cannot be decrypted: ${dataKeys.why(stored.pid)}`);
      // The AAD names the partner too, so a secret copied to another partner fails here.
      return open(dataKey, stored, aad, `partner ${stored.pid}'s data key does not decrypt this secret (data altered, or copied from elsewhere)`);
    },
  };
  return cipher;
}
