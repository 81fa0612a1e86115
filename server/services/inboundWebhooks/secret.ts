import { randomBytes } from 'node:crypto';
import type { SecretCipher, StoredSecret } from '../../secrets/cipher.js';

// Issue 18 §5: an inbound endpoint's signing secret is generated like the alert webhook's
// (services/alerts/webhookSecret.ts: `whsec_` + 32 random bytes) and stored under the same ring,
// bound to its partner and integration so a copied ciphertext decrypts nowhere else.

export const inboundSecretAad = (partnerId: number, integrationKey: string) => `ic-inbound-secret:v1|${partnerId}|${integrationKey}`;

export const encryptInboundSecret = (cipher: SecretCipher, partnerId: number, integrationKey: string, secret: string): StoredSecret =>
  cipher.encrypt(secret, inboundSecretAad(partnerId, integrationKey));

export const decryptInboundSecret = (cipher: SecretCipher, partnerId: number, integrationKey: string, stored: StoredSecret): string =>
  cipher.decrypt(stored, inboundSecretAad(partnerId, integrationKey));

/** The URL's handle: 32 random bytes (base64url, 43 characters), unrelated to the partner's id. */
export const generateEndpointId = (): string => randomBytes(32).toString('base64url');

export const inboundPath = (endpointId: string) => `/api/inbound/${endpointId}`;
