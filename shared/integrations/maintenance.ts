import { z } from 'zod';
import { integrationKeySchema } from './catalog.js';
import { integrationKeyParamSchema } from './api.js';

/**
 * Issue 18 §4: maintenance windows. For one integration or the whole partner, from a start to an
 * end, with a reason: checks and history go on, alerts and webhooks are held, and when the window
 * is over the current state is sent once if it differs from the state before the window.
 */

export const maxMaintenanceReasonLength = 500;
/** The longest window: longer ones are refused (a forgotten window would silence alerts for good). */
export const maxMaintenanceWindowMs = 7 * 24 * 60 * 60_000;
/** How far ahead a window may be scheduled. */
export const maxMaintenanceLeadMs = 90 * 24 * 60 * 60_000;
/** A start this little in the past is taken as "now" (the form's clock and the server's differ). */
export const maintenanceStartSlackMs = 5 * 60_000;

/** upcoming: not started; active: alerts are held; ended: over, its held alerts released or being released. */
export const maintenanceStates = ['upcoming', 'active', 'ended'] as const;
export type MaintenanceState = (typeof maintenanceStates)[number];

export const maintenanceWindowSchema = z.object({
  id: z.number().int().positive(),
  /** null: every integration of the partner. */
  integrationKey: integrationKeySchema.nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  reason: z.string(),
  /** Who scheduled it (an email). */
  actor: z.string(),
  createdAt: z.iso.datetime(),
  state: z.enum(maintenanceStates),
  /** When the held alerts were released (null until then). */
  releasedAt: z.iso.datetime().nullable(),
});
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

export const maintenanceListInputSchema = z
  .strictObject({
    /** Only the windows covering this integration (its own and the partner-wide ones). */
    key: integrationKeyParamSchema.optional(),
  })
  .optional();
export type MaintenanceListInput = z.input<typeof maintenanceListInputSchema>;
export const maintenanceListSchema = z.object({ items: z.array(maintenanceWindowSchema) });
export type MaintenanceList = z.infer<typeof maintenanceListSchema>;

const when = (label: string) => z.iso.datetime({ offset: true, message: `${label} must be a date and time (ISO 8601)` });

export const createMaintenanceInputSchema = z.strictObject({
  /** Omitted: partner-wide. */
  integrationKey: integrationKeyParamSchema.optional(),
  /** Omitted: now. */
  startsAt: when('Start').optional(),
  endsAt: when('End'),
  reason: z.string().trim().min(1, 'Say why (1 to 500 characters)').max(maxMaintenanceReasonLength, `At most ${maxMaintenanceReasonLength} characters`),
});
export type CreateMaintenanceInput = z.input<typeof createMaintenanceInputSchema>;
export type CreateMaintenanceValues = z.output<typeof createMaintenanceInputSchema>;

export const maintenanceIdInputSchema = z.strictObject({
  // bigint ids; a number beyond what PostgreSQL and JavaScript both hold is no window of anyone's.
  id: z.coerce.number('Not a maintenance window').int('Not a maintenance window').positive('Not a maintenance window').max(Number.MAX_SAFE_INTEGER, 'Not a maintenance window'),
});
export type MaintenanceIdInput = z.input<typeof maintenanceIdInputSchema>;

export const endMaintenanceOutputSchema = z.object({
  /** ended: it was running and is over now (held alerts released); cancelled: it had not started and is gone. */
  outcome: z.enum(['ended', 'cancelled']),
  window: maintenanceWindowSchema,
});
export type EndMaintenanceOutput = z.infer<typeof endMaintenanceOutputSchema>;
