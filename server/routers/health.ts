import { z } from 'zod';
import {
  alertPageSchema,
  alertsInputSchema,
  clearWebhookOutputSchema,
  fleetInputSchema,
  fleetSchema,
  healthHistoryInputSchema,
  healthHistorySchema,
  setWebhookInputSchema,
  webhookTestOutputSchema,
  webhookViewSchema,
} from '../../shared/integrations/health.js';
import { rotateWebhookSecretInputSchema, webhookDeliveriesInputSchema, webhookDeliveryPageSchema, webhookSavedSchema } from '../../shared/integrations/alertWebhook.js';
import { healthCheckPageSchema, healthChecksInputSchema } from '../../shared/integrations/healthChecks.js';
import { getAlertPage } from '../services/alerts/alerts.js';
import { getCredentialPolicy, setCredentialPolicy } from '../services/alerts/credentialPolicy.js';
import { credentialPolicySchema, setCredentialPolicyInputSchema } from '../../shared/integrations/credentialAge.js';
import { getWebhookDeliveries } from '../services/alerts/deliveries.js';
import { clearWebhook, getWebhook, rotateWebhookSecret, setWebhook, testWebhook } from '../services/alerts/webhooks.js';
import { getHealthChecks } from '../services/health/checks.js';
import { getFleet } from '../services/health/fleet.js';
import { getHealthHistory } from '../services/health/history.js';
import { actorFor } from '../services/integrations/actor.js';
import { authedProcedure, requireDev, requirePartnerAdmin, router } from '../trpc/init.js';
import { catalogEnabled } from './featureFlag.js';

// SPEC-005 monitoring. The partner always comes from the verified token, never from the input.
// The flag first: with the catalog off every caller gets the same 404, whatever their role.
const reader = authedProcedure.use(catalogEnabled);
const admin = reader.use(requirePartnerAdmin);
const dev = reader.use(requireDev);

export const healthRouter = router({
  /** One integration's checks over a range (24h, 7d, 30d) and its uptime: number and bar segments. */
  history: reader
    .input(healthHistoryInputSchema)
    .output(healthHistorySchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/health-history', summary: 'Health checks of one integration over ?range=24h|7d|30d (default 24h), with the uptime % and the segments its bar is drawn from', tag: 'health' } })
    .query(({ ctx, input }) => getHealthHistory(ctx.deps, ctx.principal.partnerId, input)),

  /** One integration's recent checks, newest first, filterable by result (the sparkline's list). */
  checks: reader
    .input(healthChecksInputSchema)
    .output(healthCheckPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/integrations/:key/checks', summary: 'Recent health checks of one integration, newest first: time, result, duration, message (?result=ok|degraded|error, cursor from nextCursor, limit ≤ 200)', tag: 'health' } })
    .query(({ ctx, input }) => getHealthChecks(ctx.deps, ctx.principal.partnerId, input)),

  /** This partner's alerts (transitions and recoveries), newest first. */
  alerts: reader
    .input(alertsInputSchema)
    .output(alertPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/alerts', summary: "This partner's alerts (failures, warnings, recoveries), newest first (cursor from nextCursor)", tag: 'health' } })
    .query(({ ctx, input }) => getAlertPage(ctx.deps, ctx.principal.partnerId, input ?? {})),

  /** Issue 18 §2: the partner-wide credential limit, for credentials whose vendor states none. */
  credentialPolicy: reader
    .output(credentialPolicySchema)
    .meta({ openapi: { method: 'GET', path: '/api/alerts/credential-policy', summary: "This partner's credential limit in days (default 90), for credentials whose vendor states no key lifetime", tag: 'health' } })
    .query(({ ctx }) => getCredentialPolicy(ctx.deps, ctx.principal.partnerId)),

  setCredentialPolicy: admin
    .input(setCredentialPolicyInputSchema)
    .output(credentialPolicySchema)
    .meta({ openapi: { method: 'PUT', path: '/api/alerts/credential-policy', summary: 'Set the credential limit in days, 1 to 3650 (partner admin); "rotate soon" alerts come 14 days before it', tag: 'health' } })
    .mutation(({ ctx, input }) => setCredentialPolicy(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  webhook: admin
    .output(webhookViewSchema)
    .meta({ openapi: { method: 'GET', path: '/api/alerts/webhook', summary: "This partner's alert webhook (partner admin); the secret as {isSet, last4}", tag: 'health' } })
    .query(({ ctx }) => getWebhook(ctx.deps, ctx.principal.partnerId)),

  setWebhook: admin
    .input(setWebhookInputSchema)
    .output(webhookSavedSchema)
    .meta({ openapi: { method: 'PUT', path: '/api/alerts/webhook', summary: 'Set the alert webhook (partner admin): URL, enabled; on create without a secret the server generates one and answers it once (revealedSecret); a supplied secret is still accepted; on an edit an omitted, blank or masked secret keeps the stored one', tag: 'health' } })
    .mutation(({ ctx, input }) => setWebhook(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal), input)),

  rotateWebhookSecret: admin
    .input(rotateWebhookSecretInputSchema)
    .output(webhookSavedSchema)
    .meta({ openapi: { method: 'POST', path: '/api/alerts/webhook/rotate-secret', summary: 'Replace the signing secret with a new generated one, answered once (revealedSecret) (partner admin)', tag: 'health' } })
    .mutation(({ ctx }) => rotateWebhookSecret(ctx.deps, ctx.principal.partnerId, actorFor(ctx.principal))),

  webhookDeliveries: admin
    .input(webhookDeliveriesInputSchema)
    .output(webhookDeliveryPageSchema)
    .meta({ openapi: { method: 'GET', path: '/api/alerts/webhook/deliveries', summary: 'Recent delivery attempts of the alert webhook (tests and alerts), newest first: time, event, attempt, HTTP status or error, duration (partner admin)', tag: 'health' } })
    .query(({ ctx, input }) => getWebhookDeliveries(ctx.deps, ctx.principal.partnerId, input)),

  clearWebhook: admin
    .input(z.strictObject({}).optional())
    .output(clearWebhookOutputSchema)
    .meta({ openapi: { method: 'DELETE', path: '/api/alerts/webhook', summary: 'Remove the alert webhook (partner admin)', tag: 'health' } })
    .mutation(({ ctx }) => clearWebhook(ctx.deps, ctx.principal.partnerId)),

  testWebhook: admin
    .input(z.strictObject({}).optional())
    .output(webhookTestOutputSchema)
    .meta({ openapi: { method: 'POST', path: '/api/alerts/webhook/test', summary: 'Send a signed test event to the alert webhook now (partner admin)', tag: 'health' } })
    .mutation(({ ctx }) => testWebhook(ctx.deps, ctx.principal.partnerId)),

  /** Dev partner only: partners × integrations with status, health, last check, message and 24 h uptime. */
  fleet: dev
    .input(fleetInputSchema)
    .output(fleetSchema)
    .meta({ openapi: { method: 'GET', path: '/api/dev/fleet', summary: 'Partners × integrations: status, health, last check, message, 24 h uptime (dev partner only, read-only)', tag: 'dev' } })
    .query(({ ctx, input }) => getFleet(ctx.deps, ctx.principal, input ?? {})),
});
