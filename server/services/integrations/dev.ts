import { AppError } from '../../../shared/errors.js';
import type { DevPartner } from '../../../shared/integrations/api.js';
import { countConfigsPerPartner } from '../../db/integrationConfigs.js';
import { listPartners, partnerExists } from '../../db/partners.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../principal.js';
import type { ReadScope } from './catalog.js';

// The dev partner's read-only views across partners. The router admits dev partner users only;
// the reads run in the dev partner's own scope, where row-level security lets it read (never
// write) other partners' rows.

/** Every partner with how many integrations it has configured and how many are in Error. */
export async function listPartnersForDev(deps: AppDeps, viewer: Principal): Promise<{ items: DevPartner[] }> {
  return withPartner(deps.db, viewer.partnerId, async (tx) => {
    const partners = await listPartners(tx);
    const counts = await countConfigsPerPartner(tx);
    const byPartner = new Map(counts.map((c) => [c.partnerId, c]));
    return {
      items: partners.map((p) => ({
        ...p,
        configuredCount: byPartner.get(p.id)?.configured ?? 0,
        errorCount: byPartner.get(p.id)?.errors ?? 0,
      })),
    };
  });
}

/** The scope to read `partnerId` as the dev partner; 404 when there is no such partner. */
export async function devScope(deps: AppDeps, viewer: Principal, partnerId: number): Promise<ReadScope> {
  const exists = await readAsPartner(deps.db, viewer.partnerId, (q) => partnerExists(q, partnerId));
  if (!exists) throw new AppError('NOT_FOUND', 'There is no partner with this id');
  return { partnerId, viewerPartnerId: viewer.partnerId };
}
