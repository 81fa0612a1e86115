import type { Logger } from '../../logger.js';
import { commonHealth } from '../http/healthMapping.js';
import { Health, type HealthResult } from '../types.js';
import { OAuthConnectionError, TokenRequestError } from './types.js';

/**
 * What a failure to obtain a token means for health, whoever the vendor: no connection (never
 * connected, reconnect needed, disconnected) and a refused token request are Error with the
 * vendor's own words; unreachable token endpoints are whatever `commonHealth` says. Plugins map
 * the codes they know first (NinjaOne's `invalid_scope`, Entra's AADSTS codes) and fall back here.
 */
export function tokenHealth(error: unknown, vendor: string, log?: Logger): HealthResult {
  if (error instanceof OAuthConnectionError) return Health.error(error.message);
  if (error instanceof TokenRequestError) {
    const said = error.description ? `: ${error.description}` : '';
    if (error.error === 'invalid_client') return Health.error(`${vendor} refused the client id or secret (invalid_client)${said}`);
    if (error.error === 'unauthorized_client') return Health.error(`${vendor} does not allow this app to use the ${error.grantType.replace('_', ' ')} grant (unauthorized_client)${said}`);
    if (error.error === 'invalid_scope') return Health.error(`${vendor} refused the scopes requested (invalid_scope)${said}`);
    return Health.error(`${vendor} refused the token request (HTTP ${error.status}, ${error.error})${said}`);
  }
  return commonHealth(error, vendor, log);
}
