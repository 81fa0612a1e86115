import { systemActorName } from '../../../shared/integrations/catalog.js';
import type { Principal } from '../principal.js';

/** Who an audit row names: a user (kept as text too, so the trail outlives them) or "system". */
export interface AuditActor {
  userId: number | null;
  actor: string;
}

/** Scheduled work (health sweeps, migrations) acts as the system. */
export const systemActor: AuditActor = { userId: null, actor: systemActorName };

export function actorFor(principal: Principal): AuditActor {
  return { userId: principal.userId, actor: principal.email };
}
