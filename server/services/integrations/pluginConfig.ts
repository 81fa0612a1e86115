import type { AppDeps } from '../../deps.js';
import { memoryTokenSources } from '../../integrations/oauth2/memoryTokenSource.js';
import { OAuthConnectionError, type TokenSource } from '../../integrations/oauth2/types.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { PluginContext, PluginSettings } from '../../integrations/types.js';
import { mappingLookup } from '../clients/mappings.js';
import type { Config } from '../../config.js';

/**
 * The server configuration as plugins see it: everything they may need (vendor base URLs, the
 * private-network switch), without the credentials of the server itself — the JWT secret, the
 * encryption key ring, the legacy credentials key, the database URL — so a plugin that logs or
 * echoes its context cannot leak them.
 */
export function pluginConfig(config: Config): Config {
  return { ...config, databaseUrl: undefined, encryptionKeys: undefined, credentialsKey: undefined, jwt: { ...config.jwt, secret: undefined } };
}

/**
 * The OAuth2 token source of a saved configuration, as a context member to spread (`...oauthFor(…)`):
 * empty for a plugin without OAuth2. Tokens come from the stored, locked connection (server/services/oauth).
 */
export function oauthFor(deps: Pick<AppDeps, 'oauth'>, integration: RegisteredIntegration, partnerId: number, settings: PluginSettings): { oauth?: TokenSource } {
  const source = deps.oauth.source(integration, partnerId, settings);
  return source ? { oauth: source } : {};
}

/**
 * The token source for a connection test of unsaved settings: a client-credentials token kept in
 * memory for this test only (nothing is stored until the settings are). An authorization-code
 * draft answers "not connected": there is no sign-in before the settings are saved.
 */
export function draftOAuth(deps: Pick<AppDeps, 'config' | 'log'>, integration: RegisteredIntegration, settings: PluginSettings): { oauth?: TokenSource } {
  const auth = integration.plugin.auth;
  if (!auth) return {};
  const grant = auth.grant(settings, deps.config);
  if ('problem' in grant) return { oauth: { accessToken: () => Promise.reject(new OAuthConnectionError('not_connected', grant.problem)), rejected: async () => undefined } };
  // Per-organization tokens (issue 26) are kept in memory for this test too.
  return { oauth: memoryTokenSources(auth, (organization) => auth.grant(settings, deps.config, organization), { signal: AbortSignal.timeout(60_000), log: deps.log }) };
}

/**
 * Issue 26: the context member listing every organization of this integration mapped to one of
 * the partner's clients, read when the plugin asks (to spread: `...mappedFor(…)`).
 */
export function mappedFor(deps: Pick<AppDeps, 'db'>, integration: RegisteredIntegration, partnerId: number): Pick<PluginContext, 'allMappedOrganizations'> {
  return {
    allMappedOrganizations: async () =>
      (await mappingLookup(deps.db).getIntegrationMappings(partnerId, integration.entry.key)).map((m) => ({ id: m.externalOrgId, name: m.externalOrgName, clientId: m.clientId, missingAtVendor: m.missingAtVendor })),
  };
}
