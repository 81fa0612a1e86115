import { deleteLegacyConfig, legacyTablePresent, lockMsp360Writes, upsertLegacyConfig } from '../../db/mspbackupsConfig.js';
import type { SecretCipher } from '../../secrets/cipher.js';
import type { ConfigMirror } from '../../services/integrations/configMirror.js';
import type { CredentialsCipher } from '../credentials.js';
import { fromGeneric, toLegacy } from './shape.js';

/**
 * Dual-write, catalog side: every catalog write of an MSP360 configuration (configure,
 * reconfigure, delete — from the API or a sync push) is copied into `mspbackups_config` in the
 * same transaction, so the legacy feature reads what the catalog wrote whichever store the
 * `msp360.read_from_new` flag points it at. The password is decrypted from the key ring and
 * re-encrypted under CREDENTIALS_KEY, in memory. Once the legacy table is dropped there is
 * nothing left to mirror.
 */
export function createMspBackupsMirror(ciphers: { secrets: SecretCipher; legacyCredentials: CredentialsCipher }): ConfigMirror {
  return {
    lock: (tx, partnerId) => lockMsp360Writes(tx, partnerId),
    async written(tx, integration, row) {
      if (!(await legacyTablePresent(tx))) return;
      const plain = fromGeneric(ciphers.secrets, integration, row.partnerId, row.settings);
      await upsertLegacyConfig(tx, row.partnerId, toLegacy(ciphers.legacyCredentials, plain), row.updatedAt);
    },
    async deleted(tx, _integration, partnerId) {
      if (await legacyTablePresent(tx)) await deleteLegacyConfig(tx, partnerId);
    },
  };
}
