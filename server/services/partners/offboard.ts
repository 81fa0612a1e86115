import { withSystem, type Db } from '../../db/pool.js';
import { deleteDataKey } from '../../db/partnerDataKeys.js';
import { countPartnerRows, deletePartnerRows, partnerTables } from '../../db/partnerRows.js';
import type { Logger } from '../../logger.js';
import type { SecretCipher } from '../../secrets/cipher.js';
import { rotateRing } from '../../secrets/partnerKeys.js';

export interface OffboardPlan {
  partner: { id: number; name: string };
  /** Rows per table that go (partners itself included). */
  rows: Record<string, number>;
  hasDataKey: boolean;
}

export type OffboardOutcome =
  | { refused: 'not_found' | 'platform_operator' | 'single_key' | 'newest_key_wraps_it'; message: string }
  | { plan: OffboardPlan; done: false; /** Why --confirm would be refused now. */ blocked?: string }
  | { plan: OffboardPlan; done: true; keyId: string; dataKeysRewrapped: number; secretsReencrypted: number; retireKeyIds: string[] };

/**
 * Issue 18 §3: `offboard-partner`. Without `confirm`, says what would go and changes nothing.
 * With it, one transaction deletes the partner's data key and every row of it (each table with
 * a partner_id, found from the catalog); then every remaining partner's data key is rewrapped
 * under the newest ring key, and any old-format secret under an older key re-encrypted. After
 * that, the older ring keys are needed by nothing in this database: once the operator removes
 * them from ENCRYPTION_KEYS and destroys them, the offboarded partner's key in any earlier copy
 * of the database (wrapped under one of them) can no longer be unwrapped: crypto-shredding.
 * Needs a newer key to move to, so a ring of one key is refused (add one first).
 */
export async function offboardPartner(deps: { db: Db; secrets: SecretCipher; log: Logger }, partnerId: number, options: { confirm: boolean }): Promise<OffboardOutcome> {
  const partner = await withSystem(deps.db, async (tx) => {
    const { rows } = await tx.query<{ id: number; name: string; isDev: boolean }>('SELECT id, name, is_dev AS "isDev" FROM partners WHERE id = $1', [partnerId]);
    return rows[0];
  });
  if (!partner) return { refused: 'not_found', message: `No partner ${partnerId}.` };
  if (partner.isDev) return { refused: 'platform_operator', message: `Partner ${partnerId} (${partner.name}) is the platform operator; it cannot be offboarded.` };
  // What would stop --confirm; a dry run still shows the plan, and says this too.
  let blocker: { refused: 'single_key' | 'newest_key_wraps_it'; message: string } | undefined;
  if (deps.secrets.keyIds.length < 2) {
    blocker = {
      refused: 'single_key',
      message:
        `ENCRYPTION_KEYS holds one key ("${deps.secrets.currentKeyId}"), and that key wraps the copy of this partner's data key in every backup taken so far: ` +
        'offboarding must move the other partners to a new key so this one can be destroyed. First put a new key in front on every instance and restart them: ' +
        `ENCRYPTION_KEYS=<new id>:<base64 of 32 random bytes, e.g. from: openssl rand -base64 32>,${deps.secrets.currentKeyId}:<its current value>; then run offboard-partner again.`,
    };
  }
  // Shredding works by retiring every ring key that ever wrapped this partner's data key. If the
  // newest key already wraps it (a rotation ran since the key was made), copies taken since hold
  // it under the key everyone moves to: a newer key must come first.
  const wrappedBy = await withSystem(deps.db, async (tx) => (await tx.query<{ kid: string }>('SELECT kid FROM partner_data_keys WHERE partner_id = $1', [partnerId])).rows[0]?.kid);
  if (!blocker && wrappedBy === deps.secrets.currentKeyId) {
    blocker = {
      refused: 'newest_key_wraps_it',
      message:
        `Partner ${partnerId}'s data key is wrapped under the newest key ("${wrappedBy}"), which would stay: database copies taken since then could still read its secrets. ` +
        `First put a new key in front on every instance and restart them: ENCRYPTION_KEYS=<new id>:<base64 of 32 random bytes, e.g. from: openssl rand -base64 32>,${deps.secrets.keyIds.map((k) => `${k}:<its value>`).join(',')}; then run offboard-partner again.`,
    };
  }
  const describe = async (tx: Parameters<Parameters<typeof withSystem>[1]>[0]) => {
    const tables = await partnerTables(tx);
    const rows = await countPartnerRows(tx, tables, partnerId);
    return { tables, plan: { partner: { id: partner.id, name: partner.name }, rows: { partners: 1, ...rows }, hasDataKey: (rows.partner_data_keys ?? 0) > 0 } };
  };
  if (!options.confirm) return { plan: (await withSystem(deps.db, describe)).plan, done: false, ...(blocker ? { blocked: blocker.message } : {}) };
  if (blocker) return blocker;

  const plan = await withSystem(deps.db, async (tx) => {
    // Lock the partner first: a request writing its rows meanwhile either finishes before, or
    // fails on the missing partner after.
    await tx.query('SELECT 1 FROM partners WHERE id = $1 FOR UPDATE', [partnerId]);
    const described = await describe(tx);
    await deleteDataKey(tx, partnerId);
    await deletePartnerRows(tx, described.tables, partnerId);
    const left = await countPartnerRows(tx, described.tables, partnerId);
    if (Object.keys(left).length > 0) throw new Error(`rows left after offboarding: ${Object.keys(left).join(', ')}`);
    return described.plan;
  });
  deps.secrets.dataKeys.forget(partnerId);
  // Everyone else moves to the newest key (the data keys: a rewrap only), so older keys retire.
  const rotation = await rotateRing(deps.db, deps.secrets);
  if (rotation.remaining > 0) throw new Error(`${rotation.remaining} secret(s) are still under an older key; run rotate-key before removing older keys`);
  const retireKeyIds = deps.secrets.keyIds.filter((kid) => kid !== deps.secrets.currentKeyId);
  // The operator's record of it: who went and what went, never key material or secrets.
  deps.log.warn(
    { event: 'partner.offboarded', partnerId, partnerName: partner.name, rows: plan.rows, keyId: rotation.keyId, dataKeysRewrapped: rotation.dataKeysRewrapped, retireKeyIds },
    'partner offboarded: its data key and rows are deleted',
  );
  return { plan, done: true, keyId: rotation.keyId, dataKeysRewrapped: rotation.dataKeysRewrapped, secretsReencrypted: rotation.secrets, retireKeyIds };
}
