import { countStaleTokens, lockConnectionsWithStaleTokens, replaceTokens } from '../../db/oauthConnections.js';
import { withSystem, type Db } from '../../db/pool.js';
import type { SecretCipher, StoredSecret } from '../../secrets/cipher.js';
import { tokenAad } from './tokens.js';

/**
 * `rotate-key` for OAuth2 tokens (issue 16): re-encrypts every access and refresh token not under
 * the newest key, in small transactions that lock each connection as a renewal does (so a renewal
 * and the rotation never both write one). Resumable: each ciphertext names its key.
 */
export async function rotateOAuthTokens(db: Db, cipher: SecretCipher, options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<{ secrets: number; remaining: number }> {
  const batchSize = options.batchSize ?? 200;
  const current = cipher.currentKeyId;
  let secrets = 0;
  while (!options.signal?.aborted) {
    const moved = await withSystem(db, async (tx) => {
      const rows = await lockConnectionsWithStaleTokens(tx, current, batchSize);
      for (const row of rows) {
        const again = (stored: StoredSecret | null, which: 'access' | 'refresh') => {
          // A data-key token (format 2) is not under the ring: rotation rewraps its key instead.
          if (!stored || stored.v !== 1 || stored.kid === current) return stored;
          secrets++;
          const aad = tokenAad(row, which);
          return cipher.reencrypt(stored, aad);
        };
        await replaceTokens(tx, row, { accessToken: again(row.accessToken, 'access'), refreshToken: again(row.refreshToken, 'refresh') });
      }
      return rows.length;
    });
    if (moved < batchSize) break;
  }
  return { secrets, remaining: await withSystem(db, (tx) => countStaleTokens(tx, current)) };
}
