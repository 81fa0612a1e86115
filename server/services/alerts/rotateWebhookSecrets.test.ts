import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyKeyRing } from '../../secrets/bootCheck.js';
import { createSecretCipher, type StoredSecret } from '../../secrets/cipher.js';
import { parseKeyRing } from '../../secrets/keyRing.js';
import { rotateSecrets } from '../../secrets/rotate.js';
import { testEncryptionKeys } from '../../test/harness.js';
import { createHealthWorld, type HealthWorld } from '../../test/healthWorld.js';
import { decryptWebhookSecret } from './webhookSecret.js';
import { setWebhook } from './webhooks.js';

describe('webhook secrets under the key ring', () => {
  let w: HealthWorld;
  beforeAll(async () => {
    w = await createHealthWorld({ env: { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' }, partners: 2 });
  });
  afterAll(() => w.close());

  it('are re-encrypted by rotate-key and checked at boot', async () => {
    const secret = 'rotate-me-webhook-secret-42';
    for (const p of w.partners) await setWebhook(w.server.deps, p.id, { userId: null, actor: 'test' }, { url: 'http://127.0.0.1:9/hook', secret });
    const k2 = `k2:${Buffer.alloc(32, 9).toString('base64')}`;
    const both = createSecretCipher(parseKeyRing(`${k2},${testEncryptionKeys}`));
    const onlyNew = createSecretCipher(parseKeyRing(k2));
    // Before rotating, a ring without the old key cannot start.
    await expect(verifyKeyRing(w.server.deps.db, onlyNew)).rejects.toThrow(/no key "test1"/);

    const report = await rotateSecrets(w.server.deps.db, both);
    expect(report.remaining).toBe(0);
    const rows = await w.query<{ partner_id: number; secret: StoredSecret }>('SELECT partner_id, secret FROM partner_webhooks ORDER BY partner_id');
    expect(rows.map((r) => [r.secret.kid, r.secret.last4])).toEqual([['k2', 't-42'], ['k2', 't-42']]);
    for (const r of rows) expect(decryptWebhookSecret(onlyNew, r.partner_id, r.secret)).toBe(secret);
    await expect(verifyKeyRing(w.server.deps.db, onlyNew)).resolves.toBeUndefined();
  });
});
