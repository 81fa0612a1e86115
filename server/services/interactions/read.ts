import { AppError } from '../../../shared/errors.js';
import { defaultInteractionPageSize, type InteractionDetail, type InteractionFilter, type InteractionPage } from '../../../shared/interactions.js';
import { findInteraction, listInteractions } from '../../db/interactionLog.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { ReadScope } from '../integrations/catalog.js';
import { requireIntegration } from '../integrations/lookup.js';

// Reads of the interaction log: a partner its own, the dev partner any partner's (row-level
// security allows it the read, never a write). Every query still filters on scope.partnerId.

/** One page of one integration's log, newest first; 404 for a key the registry lacks. */
export async function getInteractionPage(deps: AppDeps, scope: ReadScope, key: string, filter: InteractionFilter): Promise<InteractionPage> {
  requireIntegration(deps.registry, key);
  if (filter.from && filter.to && Date.parse(filter.from) >= Date.parse(filter.to)) {
    throw new AppError('VALIDATION_FAILED', 'Some input is not valid', { fields: { to: ['Must be after from'] } });
  }
  const limit = filter.limit ?? defaultInteractionPageSize;
  return readAsPartner(deps.db, scope.viewerPartnerId, (q) => listInteractions(q, scope.partnerId, key, { ...filter, limit }));
}

/** One row with its redacted bodies; 404 when this partner has no row with this id. */
export async function getInteractionDetail(deps: AppDeps, scope: ReadScope, id: number): Promise<InteractionDetail> {
  const row = await readAsPartner(deps.db, scope.viewerPartnerId, (q) => findInteraction(q, scope.partnerId, id));
  if (!row) throw new AppError('NOT_FOUND', 'There is no log entry with this id');
  return row;
}
