import { randomBytes } from 'node:crypto';
import type { SecretCipher, StoredSecret } from '../../secrets/cipher.js';

/** Binds a webhook secret's ciphertext to its partner (AAD), as integration secrets are bound to theirs. */
export const webhookSecretAad = (partnerId: number) => `ic-webhook-secret:v1|${partnerId}`;

export const encryptWebhookSecret = (cipher: SecretCipher, partnerId: number, secret: string): StoredSecret =>
  cipher.encrypt(secret, webhookSecretAad(partnerId));

export const decryptWebhookSecret = (cipher: SecretCipher, partnerId: number, stored: StoredSecret): string =>
  cipher.decrypt(stored, webhookSecretAad(partnerId));

/**
 * A new signing secret: 32 random bytes (256 bits, the HMAC-SHA256 key size) in base64url,
 * prefixed so a leaked one is recognisable in a scan. The server makes it so partners never
 * invent a weak one; it is shown once and then only as {isSet, last4}.
 */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;
