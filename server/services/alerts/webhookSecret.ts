import type { SecretCipher, StoredSecret } from '../../secrets/cipher.js';

/** Binds a webhook secret's ciphertext to its partner (AAD), as integration secrets are bound to theirs. */
export const webhookSecretAad = (partnerId: number) => `ic-webhook-secret:v1|${partnerId}`;

export const encryptWebhookSecret = (cipher: SecretCipher, partnerId: number, secret: string): StoredSecret =>
  cipher.encrypt(secret, webhookSecretAad(partnerId));

export const decryptWebhookSecret = (cipher: SecretCipher, partnerId: number, stored: StoredSecret): string =>
  cipher.decrypt(stored, webhookSecretAad(partnerId));
