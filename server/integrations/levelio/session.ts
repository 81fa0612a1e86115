import { startBudget } from '../http/budget.js';
import type { PluginContext } from '../types.js';
import type { LevelCall } from './client.js';
import { apiKeyProblem, keyAccessProblem, LevelUrlError, levelBaseUrl } from './settings.js';

/**
 * A call context for one partner's stored settings, or why there is none (settings the service
 * let through but that cannot be used, or a server misconfiguration), worded for the partner.
 */
export function openLevelCall(ctx: PluginContext, timeoutMs: number): { call: LevelCall } | { problem: string } {
  const { api_key: apiKey, key_access: access } = ctx.settings;
  const problem = apiKeyProblem(apiKey) ?? keyAccessProblem(access);
  if (problem || typeof apiKey !== 'string') return { problem: `Level settings are not valid: ${problem}` };
  let baseUrl: URL;
  try {
    baseUrl = levelBaseUrl(ctx.config.levelBaseUrl);
  } catch (error) {
    if (error instanceof LevelUrlError) return { problem: error.message };
    throw error;
  }
  return {
    call: {
      baseUrl,
      apiKey: apiKey.trim(),
      budget: startBudget(ctx.signal, timeoutMs),
      log: ctx.log.child({ integration: 'levelio', partnerId: ctx.partnerId }),
    },
  };
}
