import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './keyRing.js';

/**
 * Issue 18 §3: per-partner data keys (envelope encryption). A data key is 32 random bytes that
 * encrypt one partner's secrets; the database holds it only wrapped by a ring key. This module is
 * the pure part: wrapping, unwrapping, and the in-process cache the (synchronous) cipher reads.
 */

/** A data key as stored: the ring key that wraps it and nonce ‖ wrapped key ‖ tag (60 bytes). */
export interface WrappedDataKey {
  kid: string;
  wrapped: Buffer;
}

const dataKeyAad = (partnerId: number) => Buffer.from(`ic-data-key:v1|${partnerId}`, 'utf8');

/** Wraps under the ring's newest key; the AAD binds it to its partner (a row moved elsewhere fails). */
export function wrapDataKey(ring: KeyRing, partnerId: number, key: Buffer): WrappedDataKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv, { authTagLength: 16 });
  cipher.setAAD(dataKeyAad(partnerId));
  const ct = Buffer.concat([cipher.update(key), cipher.final()]);
  return { kid: ring.current.id, wrapped: Buffer.concat([iv, ct, cipher.getAuthTag()]) };
}

/** The data key, or why not (a retired ring key, a wrong one, an altered row); never key material. */
export function unwrapDataKey(ring: KeyRing, partnerId: number, stored: WrappedDataKey): { key: Buffer } | { error: string } {
  const ringKey = ring.keys.get(stored.kid);
  if (!ringKey) return { error: `its data key is wrapped under key "${stored.kid}", which is not in ENCRYPTION_KEYS (retired, or the partner was offboarded)` };
  if (stored.wrapped.length !== 60) return { error: 'its data key row is malformed' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', ringKey.key, stored.wrapped.subarray(0, 12), { authTagLength: 16 });
    decipher.setAAD(dataKeyAad(partnerId));
    decipher.setAuthTag(stored.wrapped.subarray(44));
    return { key: Buffer.concat([decipher.update(stored.wrapped.subarray(12, 44)), decipher.final()]) };
  } catch {
    return { error: `key "${stored.kid}" does not unwrap its data key (wrong key value, or the row was altered or moved)` };
  }
}

export const newDataKey = (): Buffer => randomBytes(32);

interface CachedKey {
  key: Buffer;
  /** The wrapped form it came from: a refresh unwraps again only when the row changed. */
  wrapped: Buffer;
  /** Before this time the key decrypts but does not yet encrypt (see usable()). */
  usableAt: number;
}

export interface DataKeyRow extends WrappedDataKey {
  partnerId: number;
  createdAt: Date;
}

/**
 * The partners' data keys this process holds unwrapped. Every partner's key is held (32 bytes
 * each: 320 KB for 10,000 partners) rather than a bounded LRU, because SecretCipher is
 * synchronous at every call site: a key must already be here when a secret is read, as there is
 * no awaiting a database read inside decrypt(). It is loaded at boot and refreshed periodically
 * (partnerKeys.ts), which also drops the keys of offboarded partners.
 *
 * A key newly made by one instance only decrypts at first: it encrypts once `delayMs` has passed
 * since its creation, by which time every instance has refreshed and holds it. Until then new
 * secrets go under the ring directly (format v1), which every instance reads and the background
 * migration moves later.
 */
export class DataKeyCache {
  private readonly keys = new Map<number, CachedKey>();
  /** Partner secrets this process encrypted under the ring for want of a usable data key (maintenance moves them). */
  ringFallbacks = 0;
  private readonly unreadable = new Map<number, string>();

  constructor(
    private readonly ring: KeyRing,
    readonly delayMs: number,
  ) {}

  get size(): number {
    return this.keys.size;
  }

  /** The key for decrypting, or undefined (see why()). */
  get(partnerId: number): Buffer | undefined {
    return this.keys.get(partnerId)?.key;
  }

  /** The key for encrypting new secrets: only once every instance can be expected to hold it. */
  usable(partnerId: number, now = Date.now()): Buffer | undefined {
    const entry = this.keys.get(partnerId);
    return entry && now >= entry.usableAt ? entry.key : undefined;
  }

  why(partnerId: number): string {
    return this.unreadable.get(partnerId) ?? 'it has no data key (offboarded, or not loaded by this instance yet)';
  }

  /** Takes the rows as the database has them now: `complete` means every row, so others are dropped. */
  apply(rows: readonly DataKeyRow[], complete: boolean): { loaded: number; unreadable: number } {
    const seen = new Set<number>();
    let unreadable = 0;
    for (const row of rows) {
      seen.add(row.partnerId);
      const known = this.keys.get(row.partnerId);
      const usableAt = row.createdAt.getTime() + this.delayMs;
      if (known?.wrapped.equals(row.wrapped)) continue;
      const result = unwrapDataKey(this.ring, row.partnerId, row);
      if ('error' in result) {
        this.keys.delete(row.partnerId);
        this.unreadable.set(row.partnerId, result.error);
        unreadable++;
        continue;
      }
      this.unreadable.delete(row.partnerId);
      // A rewrapped row holds the same key: it stays usable as it was.
      this.keys.set(row.partnerId, { key: result.key, wrapped: row.wrapped, usableAt: known && known.key.equals(result.key) ? known.usableAt : usableAt });
    }
    if (complete) {
      for (const partnerId of [...this.keys.keys(), ...this.unreadable.keys()]) {
        if (!seen.has(partnerId)) this.forget(partnerId);
      }
    }
    return { loaded: this.keys.size, unreadable };
  }

  forget(partnerId: number): void {
    this.keys.get(partnerId)?.key.fill(0);
    this.keys.delete(partnerId);
    this.unreadable.delete(partnerId);
  }
}
