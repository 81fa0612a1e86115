import { countMissingAtVendor } from '../../db/mappings.js';
import type { Queryable } from '../../db/pool.js';
import type { HealthResult } from '../../integrations/types.js';

/** What the partner reads when mapped organizations are gone at the vendor. */
export function missingMessage(count: number): string {
  return count === 1 ? '1 mapped organization is missing at the vendor' : `${count} mapped organizations are missing at the vendor`;
}

/**
 * A vendor check's result with the mappings the latest discovery no longer finds folded in: an
 * Ok check becomes Degraded with the count, a Degraded one says it too, an Error stays as it is
 * (the connection itself failing is the louder news). Mappings are never deleted for this: a
 * person decides whether the organization was renamed, merged or really gone.
 */
export function foldMissing(result: HealthResult, missing: number): HealthResult {
  if (missing === 0 || result.status === 'error') return result;
  const note = missingMessage(missing);
  if (result.status === 'degraded') return { status: 'degraded', message: `${result.message}; ${note}` };
  return { status: 'degraded', message: note };
}

/** The result to record for one integration of a partner, read in the recording transaction. */
export async function withMissingAtVendor(tx: Queryable, partnerId: number, key: string, result: HealthResult): Promise<HealthResult> {
  if (result.status === 'error') return result;
  return foldMissing(result, await countMissingAtVendor(tx, partnerId, key));
}
