import type { Unavailable } from '../../../shared/actions.js';
import type { ConfigRow } from '../../db/integrationConfigs.js';
import type { ConnectionRow, GrantKind } from '../../db/oauthConnections.js';
import type { AppDeps } from '../../deps.js';
import type { RegisteredAction, RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { PluginSettings } from '../../integrations/types.js';
import type { Principal } from '../principal.js';
import { pluginConfig } from '../integrations/pluginConfig.js';
import { redactSecrets } from '../integrations/settings.js';

/**
 * Why an action may not run now, judged in a fixed order (docs/actions.md): not configured →
 * disconnected (an OAuth2 connection that cannot give a token) → in Error → not permitted → missing mapping → the action's own check. The first
 * reason wins. Fails closed: a check that throws is `check_failed`, never "available".
 */

/** Who asks, and for which client (client-scoped actions are judged against its mappings). */
export interface Asker {
  principal: Principal;
  clientId?: number;
}

/** What one integration's actions are judged on, read once per listing or run. */
export interface IntegrationState {
  integration: RegisteredIntegration;
  config: ConfigRow | undefined;
  /** Decrypted settings; undefined when not configured or not decryptable. */
  settings: PluginSettings | undefined;
  /** Whether the client given has at least one organization mapped at this integration. */
  clientMapped: boolean | undefined;
  /** OAuth2 plugins: the grant the settings use and the stored connection (issue 16). */
  oauth?: { grantKind: GrantKind; fingerprint: string; connection: ConnectionRow | undefined } | undefined;
}

export const devRunsNothing: Unavailable = { code: 'not_permitted', message: 'The platform operator can read partners but runs no actions' };

/** The reasons that hold for every action of the integration, before its own check. */
export function integrationReason(state: IntegrationState): Unavailable | null {
  const { config, settings } = state;
  if (!config) return { code: 'not_configured', message: `${state.integration.entry.name} is not configured` };
  // A connection that cannot give a token is the more specific reason than the Error it causes.
  const connection = connectionReason(state);
  if (connection) return connection;
  if (config.status === 'Error') return { code: 'error', message: config.errorMessage ?? `${state.integration.entry.name} is in Error: fix it, then test the connection` };
  if (!settings) return { code: 'error', message: 'The stored credentials could not be decrypted on this server' };
  return null;
}

/** An OAuth2 connection that cannot give a token: `disconnected`, before roles (issue 16). */
function connectionReason(state: IntegrationState): Unavailable | null {
  const oauth = state.oauth;
  if (!oauth) return null;
  const name = state.integration.entry.name;
  const { connection } = oauth;
  if (connection?.status === 'disconnected') return { code: 'disconnected', message: `Disconnected from ${name} after repeated refused renewals: Connect again to restore access` };
  if (oauth.grantKind !== 'oauth2AuthorizationCode') return null;
  if (!connection || !connection.connectedAt) return { code: 'disconnected', message: `Not connected to ${name} yet: Connect to sign in` };
  if (connection.fingerprint !== oauth.fingerprint) return { code: 'disconnected', message: `The ${name} settings changed since it was connected: Connect again` };
  if (connection.status === 'reconnect_needed') return { code: 'disconnected', message: `${name} refused to renew access: reconnect needed (Connect again)` };
  return null;
}

/**
 * What an AI assistant's token (issue 25) forbids on top of the user's role: side effects with a
 * read-only token, and any action outside its allowed list. Null for a signed-in user.
 */
export function tokenRefusal(principal: Principal, def: { id: string; sideEffectful: boolean }): Unavailable | null {
  const token = principal.accessToken;
  if (!token) return null;
  if (def.sideEffectful && token.mode !== 'read_write') return { code: 'not_permitted', message: `The token "${token.name}" is read-only: it cannot run actions that change something at the vendor` };
  if (token.allowedActions && !token.allowedActions.includes(def.id)) return { code: 'not_permitted', message: `The token "${token.name}" is not allowed to run ${def.id}` };
  return null;
}

export async function judge(deps: AppDeps, state: IntegrationState, action: RegisteredAction, asker: Asker): Promise<Unavailable | null> {
  const { principal } = asker;
  if (principal.isDev) return devRunsNothing;
  const shared = integrationReason(state);
  if (shared) return shared;
  const def = action.definition;
  if (def.sideEffectful && principal.role !== 'partner_admin') return { code: 'not_permitted', message: 'Only partner admins can run actions that change something at the vendor' };
  const byToken = tokenRefusal(principal, def);
  if (byToken) return byToken;
  if (def.clientScoped && asker.clientId !== undefined && !state.clientMapped) {
    return { code: 'missing_mapping', message: `This client has no organization mapped at ${state.integration.entry.name}: map one on the Clients screen` };
  }
  if (!def.availability) return null;
  const settings = state.settings as PluginSettings;
  try {
    const own = await def.availability({ partnerId: principal.partnerId, settings, config: pluginConfig(deps.config), hasPublicBaseUrl: deps.files?.enabled === true });
    if (own === null || own === undefined) return null;
    return { code: own.code, message: redactSecrets(String(own.message), state.integration, settings) };
  } catch (error) {
    deps.log.warn({ actionId: def.id, partnerId: principal.partnerId, errorType: error instanceof Error ? error.name : typeof error }, 'action availability check threw');
    return { code: 'check_failed', message: 'Whether this action can run could not be checked; try again later' };
  }
}
