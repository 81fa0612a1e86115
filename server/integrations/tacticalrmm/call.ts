import { startBudget } from '../http/budget.js';
import type { PluginContext } from '../types.js';
import { schemeProblem } from './address.js';
import type { TacticalCall } from './client.js';
import { apiKeyProblem, normalizeApiUrl, TacticalUrlError } from './settings.js';

/** Settings that cannot be used as stored (the save-time checks let them through, or the server's policy changed). */
export class TacticalSettingsError extends Error {
  override name = 'TacticalSettingsError';
}

/**
 * One health check's, page's or action's call context from the partner's settings. The scheme
 * rule is checked again here (INTEGRATIONS_ALLOW_PRIVATE_NETWORK may have been turned off since
 * the URL was saved); the addresses are checked by the guarded agent on every connection.
 */
export function openCall(ctx: PluginContext, timeoutMs: number): TacticalCall {
  const { api_url: apiUrl, api_key: key } = ctx.settings;
  const policy = { allowPrivateNetwork: ctx.config.allowPrivateNetwork };
  let baseUrl: URL;
  try {
    baseUrl = normalizeApiUrl(apiUrl);
  } catch (error) {
    if (error instanceof TacticalUrlError) throw new TacticalSettingsError(`Tactical RMM settings are not valid: ${error.message}`);
    throw error;
  }
  const problem = apiKeyProblem(key) ?? schemeProblem(baseUrl, policy);
  if (problem || typeof key !== 'string') throw new TacticalSettingsError(`Tactical RMM settings are not valid: ${problem}`);
  return {
    baseUrl,
    key: key.trim(),
    budget: startBudget(ctx.signal, timeoutMs),
    log: ctx.log.child({ integration: 'tacticalrmm', partnerId: ctx.partnerId }),
    policy,
  };
}
