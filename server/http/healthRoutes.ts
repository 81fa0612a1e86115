import type { z } from 'zod';
import {
  alertPageSchema,
  alertsInputSchema,
  clearWebhookOutputSchema,
  fleetInputSchema,
  fleetSchema,
  healthHistoryInputSchema,
  healthHistorySchema,
  setWebhookInputSchema,
  webhookSchema,
  webhookTestOutputSchema,
  webhookViewSchema,
} from '../../shared/integrations/health.js';
import type { RestRoute } from './restRoutes.js';

// Rows of the REST route table (restRoutes.ts) for health monitoring (SPEC-005).
type In<T extends z.ZodType> = z.input<T>;

export const healthRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/api/integrations/:key/health-history',
    summary: 'Health checks of one integration since a time (default 24 h), with uptime %',
    tag: 'health',
    auth: true,
    input: healthHistoryInputSchema,
    output: healthHistorySchema,
    call: (caller, input) => caller.health.history(input as In<typeof healthHistoryInputSchema>),
  },
  {
    method: 'GET',
    path: '/api/alerts',
    summary: "This partner's alerts (failures, warnings, recoveries), newest first (cursor from nextCursor)",
    tag: 'health',
    auth: true,
    input: alertsInputSchema,
    output: alertPageSchema,
    call: (caller, input) => caller.health.alerts(input as In<typeof alertsInputSchema>),
  },
  {
    method: 'GET',
    path: '/api/alerts/webhook',
    summary: "This partner's alert webhook (partner admin); the secret as {isSet, last4}",
    tag: 'health',
    auth: true,
    output: webhookViewSchema,
    call: (caller) => caller.health.webhook(),
  },
  {
    method: 'PUT',
    path: '/api/alerts/webhook',
    summary: 'Set the alert webhook (partner admin): URL, signing secret (kept when omitted, blank or the mask), enabled',
    tag: 'health',
    auth: true,
    input: setWebhookInputSchema,
    output: webhookSchema,
    call: (caller, input) => caller.health.setWebhook(input as In<typeof setWebhookInputSchema>),
  },
  {
    method: 'DELETE',
    path: '/api/alerts/webhook',
    summary: 'Remove the alert webhook (partner admin)',
    tag: 'health',
    auth: true,
    output: clearWebhookOutputSchema,
    call: (caller) => caller.health.clearWebhook(),
  },
  {
    method: 'POST',
    path: '/api/alerts/webhook/test',
    summary: 'Send a signed test event to the alert webhook now (partner admin)',
    tag: 'health',
    auth: true,
    output: webhookTestOutputSchema,
    call: (caller) => caller.health.testWebhook(),
  },
  {
    method: 'GET',
    path: '/api/dev/fleet',
    summary: 'Partners × integrations: status, last check, message (dev partner only, read-only)',
    tag: 'dev',
    auth: true,
    input: fleetInputSchema,
    output: fleetSchema,
    call: (caller, input) => caller.health.fleet(input as In<typeof fleetInputSchema>),
  },
];
