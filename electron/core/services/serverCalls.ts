import { testOutputSchema } from '../../../shared/integrations/api.js';
import { fleetSchema, healthHistorySchema, webhookTestOutputSchema, webhookViewSchema } from '../../../shared/integrations/health.js';
import { webhookDeliveryPageSchema, webhookSavedSchema } from '../../../shared/integrations/alertWebhook.js';
import { healthCheckPageSchema } from '../../../shared/integrations/healthChecks.js';
import type { AlertsServer, MonitoringServer, ServerAccess } from '../server/contract.js';
import type { HttpOptions } from '../server/serverApi.js';
import { signedInCaller } from '../server/signedInCall.js';

const failures = {
  offline: 'The server cannot be reached; this needs a connection',
  unauthorized: 'Your session has ended; sign in again to reach the server',
};

/**
 * Monitoring's server calls over the typed client: `health.history`, `health.fleet` (dev
 * partner) and `integrations.test`. The token stays in the core; the partner is the token's,
 * never an input.
 */
export function httpMonitoringServer(http: HttpOptions, access: () => ServerAccess | null): MonitoringServer & AlertsServer {
  const call = signedInCaller(http, access, failures);
  return {
    healthHistory: async (key, options) =>
      healthHistorySchema.parse(await call((api) => api.health.history.query({ key, ...(options?.range ? { range: options.range } : {}) }), options?.timeoutMs)),
    fleet: async (options) => {
      const input = { limit: options?.limit ?? 500, ...(options?.cursor ? { cursor: options.cursor } : {}) };
      return fleetSchema.parse(await call((api) => api.health.fleet.query(input), options?.timeoutMs));
    },
    // The Alerts screen and the check list (issue 22): online only, answers parsed so nothing
    // beyond the shared schemas reaches the renderer; the revealed secret passes through once.
    webhook: async () => webhookViewSchema.parse(await call((api) => api.health.webhook.query())),
    setWebhook: async (input) => webhookSavedSchema.parse(await call((api) => api.health.setWebhook.mutate(input))),
    rotateWebhookSecret: async () => webhookSavedSchema.parse(await call((api) => api.health.rotateWebhookSecret.mutate({}))),
    testWebhook: async () => webhookTestOutputSchema.parse(await call((api) => api.health.testWebhook.mutate({}), 20_000)),
    webhookDeliveries: async (input) => webhookDeliveryPageSchema.parse(await call((api) => api.health.webhookDeliveries.query(input))),
    checks: async (input) => healthCheckPageSchema.parse(await call((api) => api.health.checks.query(input))),
    test: async (key, settings, options) =>
      testOutputSchema.parse(await call((api) => api.integrations.test.mutate({ key, ...(settings ? { settings } : {}), ...(options?.afterSave ? { afterSave: true } : {}) }))),
  };
}
