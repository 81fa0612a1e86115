import type { Organization, Suggestion } from '../../../shared/clients.js';
import { listClients } from '../../db/clients.js';
import { listMappingsByIntegration } from '../../db/mappings.js';
import { withPartnerSnapshot } from '../../db/pool.js';
import { requireIntegration } from '../integrations/lookup.js';
import type { MappingDeps } from './mappings.js';
import { suggestMappings } from './suggest.js';

/**
 * Suggestions for the given organizations of one integration against the partner's live
 * clients and its current mappings, read from one snapshot. The organizations come from the
 * caller until discovery's snapshot table exists; then this reads the snapshot instead.
 */
export async function suggestForIntegration(deps: MappingDeps, partnerId: number, input: { key: string; organizations: readonly Organization[] }): Promise<Suggestion[]> {
  requireIntegration(deps.registry, input.key);
  const { clients, mappings } = await withPartnerSnapshot(deps.db, partnerId, async (tx) => ({
    clients: await listClients(tx, partnerId, false),
    mappings: await listMappingsByIntegration(tx, partnerId, input.key),
  }));
  return suggestMappings({ clients, organizations: input.organizations, mappings });
}
