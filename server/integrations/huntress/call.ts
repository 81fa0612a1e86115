import { startBudget } from '../http/budget.js';
import type { RateLimit } from '../http/rateLimiter.js';
import type { PluginContext } from '../types.js';
import { huntressRateLimit, type HuntressCall } from './client.js';
import { HuntressUrlError, huntressApiBase, readCredentials, type HuntressCredentials } from './settings.js';

/** A call context made from a partner's settings, or why it cannot be made (worded for the partner). */
export type OpenedCall = { call: HuntressCall; credentials: HuntressCredentials } | { problem: string };

/**
 * What health, discovery and the actions share: the settings checked, the API root from
 * HUNTRESS_BASE_URL, one budget for the piece of work, and the key's request budget.
 */
export function openHuntressCall(ctx: PluginContext, timeoutMs: number, rateLimit: RateLimit = huntressRateLimit): OpenedCall {
  const credentials = readCredentials(ctx.settings);
  if ('problem' in credentials) return { problem: `Huntress settings are not valid: ${credentials.problem}` };
  let baseUrl: URL;
  try {
    baseUrl = huntressApiBase(ctx.config.huntressBaseUrl);
  } catch (error) {
    if (error instanceof HuntressUrlError) return { problem: error.message };
    throw error;
  }
  return {
    credentials,
    call: {
      baseUrl,
      apiKey: credentials.apiKey,
      apiSecret: credentials.apiSecret,
      budget: startBudget(ctx.signal, timeoutMs),
      log: ctx.log.child({ integration: 'huntress', partnerId: ctx.partnerId }),
      rateLimit,
    },
  };
}
