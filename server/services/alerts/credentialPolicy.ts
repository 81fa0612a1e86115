import { AppError } from '../../../shared/errors.js';
import type { CredentialPolicy, SetCredentialPolicyInput } from '../../../shared/integrations/credentialAge.js';
import { findPartnerCredentialLimit, setPartnerCredentialLimit } from '../../db/credentialAges.js';
import { readAsPartner, writeAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { AuditActor } from '../integrations/actor.js';

const missing = () => new AppError('NOT_FOUND', 'This partner no longer exists');

/** Issue 18 §2: the partner-wide credential limit (days), for credentials whose vendor states none. */
export async function getCredentialPolicy(deps: AppDeps, partnerId: number): Promise<CredentialPolicy> {
  const days = await readAsPartner(deps.db, partnerId, (q) => findPartnerCredentialLimit(q, partnerId));
  if (days === undefined) throw missing();
  return { maxAgeDays: days };
}

/**
 * Changes it (partner admins). The next hourly scan measures against the new limit; stages
 * already alerted stay alerted (a longer limit does not repeat "rotate soon" for the same key).
 * Partner-wide settings have no audit table: the change is logged with who made it.
 */
export async function setCredentialPolicy(deps: AppDeps, partnerId: number, actor: AuditActor, input: SetCredentialPolicyInput): Promise<CredentialPolicy> {
  const days = await writeAsPartner(deps.db, partnerId, (q) => setPartnerCredentialLimit(q, partnerId, input.maxAgeDays));
  if (days === undefined) throw missing();
  deps.log.info({ partnerId, userId: actor.userId, maxAgeDays: days }, 'partner credential limit changed');
  return { maxAgeDays: days };
}
