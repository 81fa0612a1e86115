import { randomBytes } from 'node:crypto';

/** One AES-256 key of the ring, named by the id stored beside every ciphertext it makes. */
export interface RingKey {
  id: string;
  key: Buffer;
}

/** Keys newest first: the first encrypts, every one decrypts what it made. */
export interface KeyRing {
  current: RingKey;
  keys: ReadonlyMap<string, RingKey>;
}

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses `ENCRYPTION_KEYS`: `id:base64key,id2:base64key2`, newest first, each key 32 bytes
 * (standard or URL-safe base64). Messages name the entry by position and id, never its value.
 */
export function parseKeyRing(text: string): KeyRing {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyRingError('the key ring is empty');
  const keys = new Map<string, RingKey>();
  const ordered: RingKey[] = [];
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const encoded = colon > 0 ? entry.slice(colon + 1) : '';
    if (!keyIdPattern.test(id)) throw new KeyRingError(`${where} must be <id>:<base64 key>, the id 1-32 of A-Z a-z 0-9 _ -`);
    if (keys.has(id)) throw new KeyRingError(`key id "${id}" appears twice`);
    const key = base64Pattern.test(encoded) ? Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64') : Buffer.alloc(0);
    if (key.length !== 32) throw new KeyRingError(`key "${id}" must be 32 bytes in base64 (44 characters), e.g. from: openssl rand -base64 32`);
    const ringKey = { id, key };
    keys.set(id, ringKey);
    ordered.push(ringKey);
  });
  return { current: ordered[0] as RingKey, keys };
}

/** A fresh ring entry (`id:base64key`) for the embedded default or an operator's rotation. */
export function generateKeyRingEntry(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `k${stamp}-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;
}
