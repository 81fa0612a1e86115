import { z } from 'zod';
import { integrationKeyParamSchema } from './api.js';
import { integrationKeySchema } from './catalog.js';
import { alertCursorSchema } from './health.js';

/**
 * Issue 22: the list of recent checks behind the detail's sparkline — time, result, duration and
 * message — filterable by result, newest first.
 */

export const checkResults = ['ok', 'degraded', 'error'] as const;
export const checkResultSchema = z.enum(checkResults, { message: 'Must be ok, degraded or error' });
export type CheckResult = z.infer<typeof checkResultSchema>;

export const maxCheckPageSize = 200;
export const defaultCheckPageSize = 50;

export const healthChecksInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** Only checks with this result. */
  result: checkResultSchema.optional(),
  cursor: alertCursorSchema.optional(),
  limit: z
    .union([z.number(), z.string().regex(/^[0-9]{1,4}$/, 'Must be a whole number').transform(Number)])
    .pipe(z.number().int('Must be a whole number').min(1, 'At least 1').max(maxCheckPageSize, `At most ${maxCheckPageSize}`))
    .optional(),
});
export type HealthChecksInput = z.input<typeof healthChecksInputSchema>;

export const healthCheckEntrySchema = z.object({
  id: z.number().int(),
  checkedAt: z.iso.datetime(),
  result: checkResultSchema,
  status: z.enum(['Active', 'Error']),
  message: z.string().nullable(),
  /** How long the check's vendor calls took; null for checks recorded before durations were kept. */
  durationMs: z.number().int().min(0).nullable(),
  /** `scheduled` by the health monitor, or `tested` by someone. */
  source: z.enum(['scheduled', 'tested']),
});
export type HealthCheckEntry = z.infer<typeof healthCheckEntrySchema>;

export const healthCheckPageSchema = z.object({
  key: integrationKeySchema,
  items: z.array(healthCheckEntrySchema),
  nextCursor: alertCursorSchema.nullable(),
});
export type HealthCheckPage = z.infer<typeof healthCheckPageSchema>;
