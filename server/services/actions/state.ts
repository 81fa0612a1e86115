import { findConfig } from '../../db/integrationConfigs.js';
import { selectClientMappings } from '../../db/mappings.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import { findConnection } from '../../db/oauthConnections.js';
import { pluginSettings } from '../integrations/settings.js';
import { grantFingerprint } from '../oauth/tokens.js';
import type { IntegrationState } from './availability.js';

/**
 * Reads what availability is judged on for one integration: its configuration (status, settings
 * decrypted in memory) and, when a client is named and an action is client-scoped, whether that
 * client has a mapping there. Two single-statement reads in the partner's scope.
 */
export async function readIntegrationState(deps: AppDeps, partnerId: number, integration: RegisteredIntegration, clientId: number | undefined): Promise<IntegrationState> {
  const key = integration.entry.key;
  const needsMapping = clientId !== undefined && [...integration.actions.values()].some((a) => a.definition.clientScoped);
  const [config, mappings, connection] = await Promise.all([
    readAsPartner(deps.db, partnerId, (q) => findConfig(q, partnerId, key)),
    needsMapping ? readAsPartner(deps.db, partnerId, (q) => selectClientMappings(q, partnerId, clientId, key)) : Promise.resolve(undefined),
    integration.plugin.auth ? readAsPartner(deps.db, partnerId, (q) => findConnection(q, { partnerId, integrationKey: key, organizationKey: '' })) : Promise.resolve(undefined),
  ]);
  let settings;
  if (config) {
    try {
      settings = pluginSettings(deps.secrets, integration, partnerId, config.settings);
    } catch {
      settings = undefined;
    }
  }
  const grant = settings && integration.plugin.auth?.grant(settings, deps.config);
  const oauth = grant && !('problem' in grant) ? { grantKind: grant.kind, fingerprint: grantFingerprint(grant), connection } : undefined;
  return { integration, config, settings, clientMapped: mappings === undefined ? undefined : mappings.length > 0, oauth };
}
