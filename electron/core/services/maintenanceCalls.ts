import { endMaintenanceOutputSchema, maintenanceListSchema, maintenanceWindowSchema } from '../../../shared/integrations/maintenance.js';
import type { MaintenanceServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; maintenance windows need a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/** Maintenance windows over the typed client: the partner is the token's; answers parsed with the shared schemas. */
export function httpMaintenanceServer(http: HttpOptions, access: () => ServerAccess | null): MaintenanceServer {
  const call = signedInCaller(http, access, failures, 15_000);
  return {
    list: async (key) => maintenanceListSchema.parse(await call((api) => api.maintenance.list.query(key === undefined ? undefined : { key }))),
    create: async (input) => maintenanceWindowSchema.parse(await call((api) => api.maintenance.create.mutate(input))),
    end: async (id) => endMaintenanceOutputSchema.parse(await call((api) => api.maintenance.end.mutate({ id }))),
  };
}
