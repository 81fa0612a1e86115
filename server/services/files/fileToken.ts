import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../../secrets/keyRing.js';

/**
 * The token of a published file's URL: `<payload>.<mac>`, both base64url. The payload is the
 * partner id (4 bytes) and 24 random bytes; the mac is HMAC-SHA256 over the payload, cut to 16
 * bytes, with a key derived (HKDF) from each key of the server's ENCRYPTION_KEYS ring — every
 * instance has the same ring, so any instance can check a token another one made, and a rotated
 * ring still accepts tokens signed with an older key for their 15 minutes. A forged or altered
 * token fails the mac and is refused before any database read; the database keeps only the
 * SHA-256 of the random part.
 */
export interface FileTokenKeys {
  /** Signs new tokens. */
  current: Buffer;
  /** Every key a token may have been signed with (current first). */
  all: readonly Buffer[];
}

const randomLength = 24;
const payloadLength = 4 + randomLength;
const macLength = 16;

/** One HMAC key per ring key, never the ring key itself (a key has one purpose). */
export function deriveFileTokenKeys(ringKeys: readonly Buffer[]): FileTokenKeys {
  const derive = (key: Buffer) => Buffer.from(hkdfSync('sha256', key, 'integration-center', 'published-files/v1', 32));
  const all = ringKeys.map(derive);
  const current = all[0];
  if (!current) throw new Error('the key ring is empty');
  return { current, all };
}

/** The keys for the server's ring: the current key signs, every key verifies. */
export function fileTokenKeysFromRing(ring: KeyRing): FileTokenKeys {
  return deriveFileTokenKeys([ring.current.key, ...[...ring.keys.values()].filter((k) => k.id !== ring.current.id).map((k) => k.key)]);
}

const mac = (key: Buffer, payload: Buffer) => createHmac('sha256', key).update(payload).digest().subarray(0, macLength);

export interface IssuedToken {
  token: string;
  /** SHA-256 of the random part: what the database stores. */
  hash: Buffer;
}

export function issueFileToken(keys: FileTokenKeys, partnerId: number): IssuedToken {
  if (!Number.isSafeInteger(partnerId) || partnerId <= 0 || partnerId > 0xffffffff) throw new RangeError('partnerId out of range');
  const payload = Buffer.alloc(payloadLength);
  payload.writeUInt32BE(partnerId, 0);
  randomBytes(randomLength).copy(payload, 4);
  return { token: `${payload.toString('base64url')}.${mac(keys.current, payload).toString('base64url')}`, hash: hashOf(payload) };
}

const hashOf = (payload: Buffer) => createHash('sha256').update(payload.subarray(4)).digest();

/** The partner and hash of a token this server signed, or null for anything else. */
export function openFileToken(keys: FileTokenKeys, token: string): { partnerId: number; hash: Buffer } | null {
  const match = /^([A-Za-z0-9_-]{38})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const payload = Buffer.from(match[1] as string, 'base64url');
  const given = Buffer.from(match[2] as string, 'base64url');
  if (payload.length !== payloadLength || given.length !== macLength) return null;
  if (!keys.all.some((key) => timingSafeEqual(mac(key, payload), given))) return null;
  const partnerId = payload.readUInt32BE(0);
  return partnerId > 0 ? { partnerId, hash: hashOf(payload) } : null;
}
