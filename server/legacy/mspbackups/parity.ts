import { findLegacyConfigs, findMsp360Settings, legacyTablePresent, msp360PartnerIds } from '../../db/mspbackupsConfig.js';
import { withSystem, type Db } from '../../db/pool.js';
import type { Registry } from '../../integrations/registry.js';
import type { SecretCipher } from '../../secrets/cipher.js';
import type { CredentialsCipher } from '../credentials.js';
import { differingFields, fromGeneric, fromLegacy, msp360Key, type MspBackupsPlain } from './shape.js';

/** One partner whose two stores disagree: the names of what differs, never a value. */
export interface ParityDifference {
  partnerId: number;
  /**
   * `api_login`, `api_password`, `enabled`; `missing in mspbackups_config` or
   * `missing in integration_configurations` when only one store has the partner;
   * `api_password does not decrypt in <table>` when a stored password cannot be read.
   */
  fields: string[];
}

export interface ParityReport {
  legacyTable: boolean;
  checked: number;
  differences: ParityDifference[];
}

const legacyTable = 'mspbackups_config';
const genericTable = 'integration_configurations';

function decrypt(fn: () => MspBackupsPlain, table: string, problems: string[]): MspBackupsPlain | undefined {
  try {
    return fn();
  } catch {
    problems.push(`api_password does not decrypt in ${table}`);
    return undefined;
  }
}

/**
 * Compares every partner's MSPBackups settings in the legacy table and the generic store,
 * decrypted in memory (each with its own key), in pages of `batchSize` partners. Read-only.
 */
export async function checkMspBackupsParity(
  deps: { db: Db; registry: Registry; secrets: SecretCipher; legacyCredentials: CredentialsCipher },
  options: { batchSize?: number } = {},
): Promise<ParityReport> {
  const integration = deps.registry.get(msp360Key);
  if (!integration) throw new Error('the registry has no msp360 integration');
  const report: ParityReport = { legacyTable: true, checked: 0, differences: [] };
  if (!(await withSystem(deps.db, legacyTablePresent))) return { ...report, legacyTable: false };
  const batchSize = options.batchSize ?? 500;
  let after = 0;
  for (;;) {
    const page = await withSystem(deps.db, async (tx) => {
      const ids = await msp360PartnerIds(tx, after, batchSize);
      return { ids, legacy: await findLegacyConfigs(tx, ids), generic: await findMsp360Settings(tx, ids) };
    });
    if (page.ids.length === 0) return report;
    const legacyBy = new Map(page.legacy.map((r) => [r.partnerId, r]));
    const genericBy = new Map(page.generic.map((r) => [r.partnerId, r.settings]));
    for (const partnerId of page.ids) {
      report.checked++;
      const legacy = legacyBy.get(partnerId);
      const generic = genericBy.get(partnerId);
      const fields: string[] = [];
      if (!legacy) fields.push(`missing in ${legacyTable}`);
      else if (!generic) fields.push(`missing in ${genericTable}`);
      else {
        const a = decrypt(() => fromLegacy(deps.legacyCredentials, legacy), legacyTable, fields);
        const b = decrypt(() => fromGeneric(deps.secrets, integration, partnerId, generic), genericTable, fields);
        if (a && b) fields.push(...differingFields(a, b));
      }
      if (fields.length) report.differences.push({ partnerId, fields });
    }
    after = page.ids.at(-1) as number;
  }
}
