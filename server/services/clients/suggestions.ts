import type { Organization, Suggestion } from '../../../shared/clients.js';
import { AppError } from '../../../shared/errors.js';
import { listClients } from '../../db/clients.js';
import { listMappingsByIntegration } from '../../db/mappings.js';
import { findSnapshotHeader, listPresentOrganizations } from '../../db/orgSnapshots.js';
import { withPartnerSnapshot } from '../../db/pool.js';
import { requireIntegration } from '../integrations/lookup.js';
import type { MappingDeps } from './mappings.js';
import { suggestMappings } from './suggest.js';

/** Why there is nothing to suggest from: the desktop shows it beside a Discover button. */
export const discoverFirstMessage = 'Discover organizations first: this integration has no discovered organizations yet';

/**
 * Suggestions for one integration against the partner's live clients and its current mappings,
 * all read from one snapshot. The organizations are the caller's when given (a list pasted or
 * filtered on the desktop), else those of the latest discovery snapshot; without one it is a 409.
 */
export async function suggestForIntegration(deps: MappingDeps, partnerId: number, input: { key: string; organizations?: readonly Organization[] | undefined }): Promise<Suggestion[]> {
  const integration = requireIntegration(deps.registry, input.key);
  // "Discover first" would be advice nobody can follow for an integration that cannot discover.
  if (!input.organizations && !integration.capabilities.has('listOrganizations')) {
    throw new AppError('VALIDATION_FAILED', `${integration.entry.name} cannot discover organizations: send them`, {
      fields: { organizations: [`Required: ${integration.entry.name} does not support discovery`] },
    });
  }
  const read = await withPartnerSnapshot(deps.db, partnerId, async (tx) => {
    const given = input.organizations;
    const organizations = given ?? ((await findSnapshotHeader(tx, partnerId, input.key)) ? await listPresentOrganizations(tx, partnerId, input.key) : undefined);
    if (!organizations) return undefined;
    return {
      organizations,
      clients: await listClients(tx, partnerId, false),
      mappings: await listMappingsByIntegration(tx, partnerId, input.key),
    };
  });
  if (!read) throw new AppError('CONFLICT', discoverFirstMessage);
  return suggestMappings(read);
}
