import { VendorError } from '../http/errors.js';
import { OrganizationsError, type ListOrganizations, type PluginContext } from '../types.js';
import type { Msp360Api, Msp360Company } from './client.js';
import type { Msp360Session } from './session.js';
import type { HealthResult } from '../types.js';

export interface Msp360OrganizationsOptions {
  api: Msp360Api;
  /** A session for this partner's settings (the plugin's token cache), or why there is none. */
  open(ctx: PluginContext): Msp360Session | { invalid: HealthResult };
}

function companyOrganization(company: Msp360Company) {
  // `Id` in MSP360's API document, `ID` in its PowerShell module: both are read (client.ts).
  const id = (company.Id ?? company.ID)?.trim();
  if (!id) throw new OrganizationsError('MSP360 sent a company without an id; discovery was stopped so no company goes missing');
  return { id, name: (company.Name?.trim() || `Company ${id}`).slice(0, 500) };
}

/**
 * MSP360's backup companies as organizations: `GET /api/Companies`, which returns them all at
 * once as a bare array, without paging [M: MSP-PS, MSP-PY; vendor-apis.md §2 "Pagination"]. So a
 * discovery is always one page (`pagesDone: 1, totalPages: 1`), on the same session and token
 * cache as the health check; MSP360 publishes no rate limit, the plugin keeps its own (index.ts).
 * No link is given: MSP360 documents no console URL per company.
 */
export function msp360ListOrganizations(options: Msp360OrganizationsOptions): ListOrganizations {
  const { api, open } = options;
  return async (ctx: PluginContext, cursor: string | null) => {
    if (cursor !== null) throw new OrganizationsError('MSP360 discovery was given a cursor it did not make');
    const session = open(ctx);
    if ('invalid' in session) throw new OrganizationsError(session.invalid.message ?? 'MSP360 settings are not valid');
    let companies: Msp360Company[];
    try {
      companies = await session.read((token) => api.companies(session.call, token));
    } catch (error) {
      if (error instanceof VendorError && error.kind === 'forbidden') {
        const vendorSays = error.details.vendorMessage ? `: ${error.details.vendorMessage}` : '';
        throw new OrganizationsError(`The MSP360 API login may not read Companies (HTTP 403)${vendorSays}`);
      }
      throw new OrganizationsError(session.failure(error).message ?? 'MSP360 discovery failed');
    }
    return { items: companies.map(companyOrganization), nextCursor: null, pagesDone: 1, totalPages: 1 };
  };
}
