import { createHmac, randomBytes } from 'node:crypto';

/**
 * MSP360 session tokens, in memory, one per partner. An entry is keyed by the partner id and an
 * HMAC of the login and password (with a key made at start-up, so the map never holds anything
 * that could be checked against a guessed password), which makes a changed credential miss the
 * cache instead of reusing a token the old one obtained.
 */
export class Msp360TokenCache {
  private readonly entries = new Map<number, { credential: string; token: string; expiresAt: number }>();
  private readonly hmacKey = randomBytes(32);

  constructor(
    /** Used when the login answer has no `expires_in`. */
    private readonly defaultTtlMs: number = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  credentialKey(login: string, password: string): string {
    return createHmac('sha256', this.hmacKey).update(login).update('\u0000').update(password).digest('hex');
  }

  /** A token still good for this partner and credential, if there is one. */
  get(partnerId: number, credential: string): string | undefined {
    const entry = this.entries.get(partnerId);
    if (!entry || entry.credential !== credential) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(partnerId);
      return undefined;
    }
    return entry.token;
  }

  /**
   * Keeps a token until shortly before it expires: `expires_in` (seconds) when the vendor sent it,
   * capped at MSP360's documented two weeks; otherwise the conservative default.
   */
  set(partnerId: number, credential: string, token: string, expiresInSeconds?: number): void {
    const ttlMs =
      expiresInSeconds !== undefined && Number.isFinite(expiresInSeconds) && expiresInSeconds > 0
        ? Math.min(expiresInSeconds * 1000, 14 * 24 * 60 * 60_000)
        : this.defaultTtlMs;
    // Renew a little early so a token never expires between our check and the vendor's.
    const margin = Math.min(5 * 60_000, ttlMs * 0.1);
    this.entries.set(partnerId, { credential, token, expiresAt: this.now() + ttlMs - margin });
  }

  /** Forgets the partner's token (after a 401, or when its settings change or go). */
  drop(partnerId: number): void {
    this.entries.delete(partnerId);
  }

  get size(): number {
    return this.entries.size;
  }
}
