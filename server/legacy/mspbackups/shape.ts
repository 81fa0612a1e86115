import type { MspBackupsConfig } from '../../../shared/mspbackups.js';
import type { StoredSettings } from '../../db/integrationConfigs.js';
import type { LegacyConfigRow, LegacyValues } from '../../db/mspbackupsConfig.js';
import type { RegisteredIntegration } from '../../integrations/registry.js';
import { msp360Enabled } from '../../integrations/msp360/settings.js';
import { isStoredSecret, minLengthForLast4, type SecretCipher } from '../../secrets/cipher.js';
import type { IntegrationStatus } from '../../../shared/integrations/catalog.js';
import { decryptSecret, encryptSecret } from '../../services/integrations/settings.js';
import type { CredentialsCipher } from '../credentials.js';

// One MSPBackups configuration in clear (in memory only), and how each store holds it:
// - mspbackups_config: api_login, api_password (legacy ciphertext or NULL), enabled;
// - integration_configurations, key msp360, in the plugin's shape: `api_login` (absent when
//   empty), `api_password` (key-ring secret bound to partner/msp360/api_password, absent when
//   never set), `enabled` (absent means on).

export const msp360Key = 'msp360';

export interface MspBackupsPlain {
  apiLogin: string;
  apiPassword: string | null;
  enabled: boolean;
}

/** The fields compared by the parity check, named as the plugin names them. */
export const comparedFields = ['api_login', 'api_password', 'enabled'] as const;
export type ComparedField = (typeof comparedFields)[number];

export function fromLegacy(cipher: CredentialsCipher, row: LegacyConfigRow): MspBackupsPlain {
  return { apiLogin: row.apiLogin, apiPassword: row.apiPassword === null ? null : cipher.decrypt(row.apiPassword), enabled: row.enabled };
}

export function fromGeneric(secrets: SecretCipher, integration: RegisteredIntegration, partnerId: number, settings: StoredSettings): MspBackupsPlain {
  const login = settings.api_login;
  return {
    apiLogin: typeof login === 'string' ? login : '',
    apiPassword: decryptSecret(secrets, integration, partnerId, 'api_password', settings.api_password) ?? null,
    enabled: msp360Enabled(settings.enabled),
  };
}

export function toLegacy(cipher: CredentialsCipher, plain: MspBackupsPlain): LegacyValues {
  return { apiLogin: plain.apiLogin, apiPassword: plain.apiPassword === null ? null : cipher.encrypt(plain.apiPassword), enabled: plain.enabled };
}

/**
 * The generic settings for `plain`. `previous` is what the generic store holds now: its password
 * ciphertext is kept when the password did not change (no churn of ciphertexts or key ids).
 */
export function toGeneric(
  secrets: SecretCipher,
  integration: RegisteredIntegration,
  partnerId: number,
  plain: MspBackupsPlain,
  previous?: { settings: StoredSettings; plain: MspBackupsPlain },
): { settings: StoredSettings; passwordReplaced: boolean } {
  const settings: StoredSettings = { enabled: plain.enabled };
  if (plain.apiLogin !== '') settings.api_login = plain.apiLogin;
  let passwordReplaced = false;
  if (plain.apiPassword !== null) {
    const kept = previous?.plain.apiPassword === plain.apiPassword ? previous.settings.api_password : undefined;
    if (isStoredSecret(kept)) settings.api_password = kept;
    else {
      settings.api_password = encryptSecret(secrets, integration, partnerId, 'api_password', plain.apiPassword);
      passwordReplaced = true;
    }
  }
  return { settings, passwordReplaced };
}

/** Names of the fields whose values differ (never the values). */
export function differingFields(a: MspBackupsPlain, b: MspBackupsPlain): ComparedField[] {
  const out: ComparedField[] = [];
  if (a.apiLogin !== b.apiLogin) out.push('api_login');
  if (a.apiPassword !== b.apiPassword) out.push('api_password');
  if (a.enabled !== b.enabled) out.push('enabled');
  return out;
}

/**
 * The status a migrated configuration starts with. A partner using the feature today (enabled,
 * with a login and password) is Active, as SPEC-005 asks: it was working for them, and the next
 * health check confirms or corrects it. A disabled row, or one without credentials, is kept as
 * Configured: saved, but nothing says it works.
 */
export function migratedStatus(plain: MspBackupsPlain): IntegrationStatus {
  return plain.enabled && plain.apiLogin !== '' && plain.apiPassword !== null ? 'Active' : 'Configured';
}

/** The legacy API's masked view: the password as `{isSet, last4}` like the catalog shows secrets. */
export function maskedView(plain: MspBackupsPlain): MspBackupsConfig {
  const password = plain.apiPassword;
  return {
    apiLogin: plain.apiLogin,
    apiPassword: { isSet: password !== null, last4: password !== null && password.length >= minLengthForLast4 ? password.slice(-4) : null },
    enabled: plain.enabled,
  };
}
