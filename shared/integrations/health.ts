import { z } from 'zod';
import { healthSchema, integrationKeySchema, statusSchema } from './catalog.js';
import { integrationKeyParamSchema } from './api.js';

/**
 * Health monitoring (SPEC-005): history of checks, alerts on status transitions, the partner's
 * outgoing webhook, and the dev partner's fleet matrix. As everywhere, no input names the caller's
 * partner: it comes from the token.
 */

/**
 * What changed: to Error, to Degraded, back to Ok from a failure or warning, first Ok after
 * (re)configuring; and (issue 18 §2) a credential within its rotation notice or past its limit.
 */
export const alertKinds = ['failure', 'degraded', 'recovery', 'activated', 'rotate_soon', 'rotate_overdue'] as const;
export const alertKindSchema = z.enum(alertKinds);
export type AlertKind = z.infer<typeof alertKindSchema>;

const checkedHealthSchema = z.enum(['ok', 'degraded', 'error']);

const wholeNumber = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^[0-9]{1,16}$/, 'Must be a whole number').transform(Number)])
    .pipe(z.number().int('Must be a whole number').min(min).max(max));

/** History kept per check; older points are pruned (HEALTH_HISTORY_RETENTION, default 30 days). */
export const maxHistoryDays = 90;

/** The periods the uptime is shown over, as monitoring tools offer them. */
export const healthRanges = ['24h', '7d', '30d'] as const;
export const healthRangeSchema = z.enum(healthRanges);
export type HealthRange = z.infer<typeof healthRangeSchema>;
export const defaultHealthRange: HealthRange = '24h';

const hourMs = 60 * 60_000;
/** Length of each range in milliseconds. */
export const healthRangeMs: Record<HealthRange, number> = { '24h': 24 * hourMs, '7d': 7 * 24 * hourMs, '30d': 30 * 24 * hourMs };

export const healthHistoryInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** The period: the last 24 hours (default), 7 days or 30 days. */
  range: healthRangeSchema.optional(),
});
export type HealthHistoryInput = z.input<typeof healthHistoryInputSchema>;

export const healthPointSchema = z.object({
  checkedAt: z.iso.datetime(),
  health: checkedHealthSchema,
  status: z.enum(['Active', 'Error']),
  message: z.string().nullable(),
  /** `scheduled` by the health monitor, or `tested` by someone. */
  source: z.enum(['scheduled', 'tested']),
});
export type HealthPoint = z.infer<typeof healthPointSchema>;

export const maxHistoryPoints = 3000;

/**
 * A stretch of time in one health: each check stands for the time until the next (at most twice
 * the backoff cap), consecutive checks of the same health merge into one segment, and time no
 * check covers is `unknown`. The bar is drawn from these, so it cannot disagree with the number.
 */
export const healthSegmentSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  health: z.enum(['ok', 'degraded', 'error', 'unknown']),
});
export type HealthSegment = z.infer<typeof healthSegmentSchema>;

/**
 * Uptime over a range, one definition for the detail's number, its bar and the fleet: the share
 * of the *checked* time, from the start of the data, that the integration was working (Ok or
 * Degraded). Time-weighted, because failing integrations are checked less often (backoff).
 */
export const uptimeSchema = z.object({
  range: healthRangeSchema,
  /** The range's start (`until` minus the range). */
  from: z.iso.datetime(),
  until: z.iso.datetime(),
  /**
   * Where the data starts: `from` when the integration was already checked before the range
   * began (the range is full), else its first check ("since first check"); null: no check yet.
   */
  coveredFrom: z.iso.datetime().nullable(),
  /** Whether the data covers the whole range (`coveredFrom` is `from`). */
  full: z.boolean(),
  /** 0–100, two decimals; null when no check covers the range. */
  percent: z.number().min(0).max(100).nullable(),
  /** From `coveredFrom` to `until`, oldest first, gaps as `unknown`. */
  segments: z.array(healthSegmentSchema),
});
export type Uptime = z.infer<typeof uptimeSchema>;

export const healthHistorySchema = z.object({
  key: integrationKeySchema,
  /** Checks since the range's start, oldest first; the newest `maxHistoryPoints` when there are more. */
  points: z.array(healthPointSchema),
  checks: z.number().int().min(0),
  okChecks: z.number().int().min(0),
  degradedChecks: z.number().int().min(0),
  errorChecks: z.number().int().min(0),
  uptime: uptimeSchema,
});
export type HealthHistory = z.infer<typeof healthHistorySchema>;

export const alertCursorSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'Not a cursor from a previous page')
  .refine((c) => Number.isSafeInteger(Number(c)), 'Not a cursor from a previous page');
export const maxAlertPageSize = 100;
export const defaultAlertPageSize = 50;

export const alertsInputSchema = z
  .strictObject({
    key: integrationKeyParamSchema.optional(),
    cursor: alertCursorSchema.optional(),
    limit: wholeNumber(1, maxAlertPageSize).optional(),
  })
  .optional();
export type AlertsInput = z.input<typeof alertsInputSchema>;

export const alertSchema = z.object({
  id: z.number().int(),
  integrationKey: integrationKeySchema,
  kind: alertKindSchema,
  fromStatus: statusSchema,
  toStatus: statusSchema,
  health: healthSchema,
  message: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** Webhook delivery: none (no webhook then), pending (retrying), delivered, failed (gave up). */
  delivery: z.object({
    state: z.enum(['none', 'pending', 'delivered', 'failed']),
    attempts: z.number().int().min(0),
    deliveredAt: z.iso.datetime().nullable(),
  }),
  /** Issue 18 §4: the maintenance window that held it (recorded, never sent). */
  heldBy: z.number().int().nullable().optional(),
  /** Issue 18 §4: the maintenance window whose end it reports (the state after the window). */
  releasedBy: z.number().int().nullable().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertPageSchema = z.object({ items: z.array(alertSchema), nextCursor: alertCursorSchema.nullable() });
export type AlertPage = z.infer<typeof alertPageSchema>;

// Webhook ---------------------------------------------------------------------------------------

export const webhookSecretMinLength = 16;

export const webhookSchema = z.object({
  url: z.string(),
  enabled: z.boolean(),
  /** Write-only: whether a secret is stored and its last four characters. */
  secret: z.object({ isSet: z.boolean(), last4: z.string().nullable() }),
  version: z.number().int().positive(),
  updatedAt: z.iso.datetime(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookViewSchema = z.object({ webhook: webhookSchema.nullable() });
export type WebhookView = z.infer<typeof webhookViewSchema>;

export const setWebhookInputSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'Must be an http(s) URL' }).max(2000, 'At most 2000 characters'),
  /**
   * The signing secret (at least 16 characters). Required the first time; on an edit, omitted,
   * blank or the mask keeps the stored one.
   */
  secret: z.string().max(200, 'At most 200 characters').optional(),
  enabled: z.boolean().optional(),
});
export type SetWebhookInput = z.input<typeof setWebhookInputSchema>;

export const clearWebhookOutputSchema = z.object({ deleted: z.boolean() });

export const webhookTestOutputSchema = z.object({
  delivered: z.boolean(),
  /** The receiver's HTTP status, when it answered. */
  status: z.number().int().nullable(),
  /** Why it was not delivered (no secret, URL or body ever appears here). */
  error: z.string().nullable(),
});
export type WebhookTestOutput = z.infer<typeof webhookTestOutputSchema>;

// Dev partner: fleet matrix ---------------------------------------------------------------------

export const fleetInputSchema = z
  .strictObject({
    /** Only partners having at least one integration in this status. */
    status: statusSchema.optional(),
    cursor: alertCursorSchema.optional(),
    limit: wholeNumber(1, 500).optional(),
  })
  .optional();
export type FleetInput = z.input<typeof fleetInputSchema>;

export const fleetCellSchema = z.object({
  status: statusSchema,
  health: healthSchema,
  lastHealthCheck: z.iso.datetime().nullable(),
  consecutiveFailures: z.number().int().min(0),
  message: z.string().nullable(),
  /** Uptime over the last 24 hours, as the detail shows it (uptimeSchema's percent). */
  uptimePercent: z.number().min(0).max(100).nullable(),
  /** Issue 18 §4: in a maintenance window until then (alerts held); null or absent: not. */
  maintenanceUntil: z.iso.datetime().nullable().optional(),
});
export type FleetCell = z.infer<typeof fleetCellSchema>;

export const fleetSchema = z.object({
  /** The columns: every integration key of the registry. */
  keys: z.array(integrationKeySchema),
  /** One row per partner (by id); a key absent from `cells` is Not Configured. */
  rows: z.array(
    z.object({
      partnerId: z.number().int(),
      partnerName: z.string(),
      cells: z.record(z.string(), fleetCellSchema),
    }),
  ),
  nextCursor: alertCursorSchema.nullable(),
});
export type Fleet = z.infer<typeof fleetSchema>;
