import { AppError } from '../../../shared/errors.js';
import { testOutputSchema, type TestOutput } from '../../../shared/integrations/api.js';
import type { SettingsInput } from '../../../shared/integrations/fields.js';
import { fleetSchema, healthHistorySchema, type Fleet, type HealthHistory } from '../../../shared/integrations/health.js';
import { serverFailure } from '../errors.js';
import { requestJson, type HttpOptions } from '../session/serverClient.js';
import type { ServerAccess } from '../session/serverExtras.js';

/**
 * The server procedures the local API uses beyond sync for monitoring and testing: the partner's
 * health history (`health.history`), the dev partner's fleet matrix (`health.fleet`) and
 * "Test connection" (`integrations.test`). The token stays in the core; the partner is the
 * token's, never an input.
 */
export interface MonitoringServer {
  healthHistory(key: string, options?: { timeoutMs?: number }): Promise<HealthHistory>;
  /** One page of the fleet matrix (partners by id, after `cursor`). */
  fleet(options?: { timeoutMs?: number; limit?: number; cursor?: string }): Promise<Fleet>;
  test(key: string, settings?: SettingsInput): Promise<TestOutput>;
}

export function httpMonitoringServer(http: HttpOptions, access: () => ServerAccess | null): MonitoringServer {
  const token = () => {
    const a = access();
    if (!a) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (!a.token) throw new AppError('UNAUTHORIZED', 'Your session has ended; sign in again to reach the server');
    return a.token;
  };
  const call = async (method: 'GET' | 'POST', procedure: string, input: unknown, timeoutMs?: number) => {
    const bearer = token();
    const query = method === 'GET' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '';
    try {
      const json = await requestJson({ ...serverOf(http), ...(timeoutMs ? { timeoutMs } : {}) }, method, `/trpc/${procedure}${query}`, {
        token: bearer,
        ...(method === 'POST' ? { body: input ?? {} } : {}),
      });
      return (json as { result?: { data?: unknown } } | null)?.result?.data;
    } catch (error) {
      throw serverFailure(error, {
        offline: 'The server cannot be reached; this needs a connection',
        unauthorized: 'Your session has ended; sign in again to reach the server',
      });
    }
  };
  return {
    healthHistory: async (key, options) => healthHistorySchema.parse(await call('GET', 'health.history', { key }, options?.timeoutMs)),
    fleet: async (options) =>
      fleetSchema.parse(await call('GET', 'health.fleet', { limit: options?.limit ?? 500, ...(options?.cursor ? { cursor: options.cursor } : {}) }, options?.timeoutMs)),
    test: async (key, settings) => testOutputSchema.parse(await call('POST', 'integrations.test', settings ? { key, settings } : { key })),
  };
}

/** The server address is read at call time: it can change in settings while signed out. */
function serverOf(http: HttpOptions): HttpOptions {
  return { serverUrl: http.serverUrl, ...(http.fetch ? { fetch: http.fetch } : {}), ...(http.timeoutMs ? { timeoutMs: http.timeoutMs } : {}) };
}
