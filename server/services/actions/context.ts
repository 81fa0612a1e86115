import { AppError } from '../../../shared/errors.js';
import { findClient } from '../../db/clients.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { ActionContext } from '../../integrations/actions.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { PluginSettings } from '../../integrations/types.js';
import { mappingLookup } from '../clients/mappings.js';
import { mappedFor, oauthFor, pluginConfig } from '../integrations/pluginConfig.js';

/**
 * What an action sees while it runs: the plugin context (settings decrypted in memory, the
 * server config without the server's own credentials, the run's time budget as a signal), the
 * caller, the client's mapped organizations through THE mapping lookup, and file publishing.
 */
export function actionContext(
  deps: AppDeps,
  integration: RegisteredIntegration,
  run: { partnerId: number; userId: number; settings: PluginSettings; signal: AbortSignal },
): ActionContext {
  const key = integration.entry.key;
  const { partnerId } = run;
  return {
    partnerId,
    userId: run.userId,
    settings: run.settings,
    config: pluginConfig(deps.config),
    signal: run.signal,
    log: deps.log,
    ...oauthFor(deps, integration, partnerId, run.settings),
    ...mappedFor(deps, integration, partnerId),
    async mappedOrganizations(clientId) {
      const [client, mappings] = await Promise.all([
        readAsPartner(deps.db, partnerId, (q) => findClient(q, partnerId, clientId)),
        mappingLookup(deps.db).getMappings(partnerId, clientId, key),
      ]);
      if (!client) throw new AppError('NOT_FOUND', 'There is no client with this id');
      if (mappings.length === 0) throw new AppError('CONFLICT', `${client.name} has no organization mapped at ${integration.entry.name} (missing mapping)`);
      return mappings.map((m) => ({ id: m.externalOrgId, name: m.externalOrgName, clientName: client.name }));
    },
    async publishFile(file) {
      if (!deps.files?.enabled) throw new AppError('CONFLICT', 'Attaching a file needs a public base URL (PUBLIC_BASE_URL) the vendor can fetch it from');
      return deps.files.publish(partnerId, file);
    },
  };
}
