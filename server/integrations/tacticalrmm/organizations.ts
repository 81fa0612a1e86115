import { VendorError } from '../http/errors.js';
import { commonHealth } from '../http/healthMapping.js';
import { OrganizationsError, type ListOrganizations, type PluginContext } from '../types.js';
import { openCall, TacticalSettingsError } from './call.js';
import type { TacticalApi } from './client.js';
import { addressFailure, keyRejected } from './health.js';
import { tacticalPermissions } from './settings.js';

export interface TacticalOrganizationsOptions {
  api: TacticalApi;
  pageTimeoutMs: number;
}

/**
 * Tactical RMM's clients as organizations: `GET /clients/`, one unpaged array (vendor-apis.md
 * §4 "Pagination" [H: TRMM]), so there is one page and no cursor. Sites stay inside their client:
 * agents are listed per client (`?client=<id>`), which is what a mapping needs.
 */
export function tacticalListOrganizations(options: TacticalOrganizationsOptions): ListOrganizations {
  const { api, pageTimeoutMs } = options;
  return async (ctx: PluginContext, cursor: string | null) => {
    if (cursor !== null) throw new OrganizationsError('Tactical RMM discovery was given a cursor it did not make');
    let call;
    try {
      call = openCall(ctx, pageTimeoutMs);
    } catch (error) {
      if (error instanceof TacticalSettingsError) throw new OrganizationsError(error.message);
      throw error;
    }
    let clients;
    try {
      clients = await api.clients(call);
    } catch (error) {
      const address = addressFailure(error, call);
      if (address) throw new OrganizationsError(address);
      if (error instanceof VendorError && error.kind === 'unauthorized') throw new OrganizationsError(`${keyRejected}; check the key in the integration's settings`);
      if (error instanceof VendorError && error.kind === 'forbidden') {
        throw new OrganizationsError(`Tactical RMM refused the client list (HTTP 403): the API key's user lacks the permission "${tacticalPermissions.clients}"`);
      }
      throw new OrganizationsError(commonHealth(error, 'Tactical RMM', call.log).message ?? 'Tactical RMM discovery failed');
    }
    return {
      items: clients.map((c) => ({ id: String(c.id), name: c.name.trim().slice(0, 500) || `Client ${c.id}` })),
      nextCursor: null,
      pagesDone: 1,
      totalPages: 1,
    };
  };
}
