import { AppError } from '../../../shared/errors.js';
import type { LocalServices } from '../api/contract.js';
import type { AlertsServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';

/** The local API's `alerts`, as api/contract.ts declares it. */
export type AlertsService = LocalServices['alerts'];

/** What the screen says offline: these are server calls, nothing of them is cached. */
export const alertsNeedServer = 'The alert webhook is kept on the server; this needs a connection';

/**
 * The Alerts screen and the check list (issue 22). Online only, on purpose: the webhook's
 * signing secret must never land in the cache or a log (it passes through once, from the
 * server's answer to the screen), and the delivery log is only useful live. Webhook calls are for
 * partner admins of their own partner, as on the server; the check list for anyone of the own
 * partner (the dev partner's view of another partner has no history, as with the sparkline).
 */
export function createAlerts(options: { session: DesktopSession; server: AlertsServer }): AlertsService {
  const { session, server } = options;
  const online = () => {
    if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', alertsNeedServer);
  };
  const admin = () => {
    session.requireWritable();
    online();
  };
  return {
    webhook: async () => (admin(), server.webhook()),
    setWebhook: async (input) => (admin(), server.setWebhook(input)),
    rotateSecret: async () => (admin(), server.rotateWebhookSecret()),
    testWebhook: async () => (admin(), server.testWebhook()),
    deliveries: async (input) => (admin(), server.webhookDeliveries(input)),
    checks: async (input) => {
      session.requireOwnPartner();
      online();
      return server.checks(input);
    },
  };
}
