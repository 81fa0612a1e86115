import { z } from 'zod';
import {
  auditActionSchema,
  auditEntrySchema,
  categorySchema,
  integrationDetailSchema,
  integrationKeySchema,
  integrationSummarySchema,
} from './catalog.js';
import type { SettingsInput } from './fields.js';

/**
 * Inputs and outputs of the integration procedures (tRPC and REST alike). Inputs are strict
 * objects, so an unknown key is a 400 rather than silently ignored, and none of them carries a
 * partner id: the partner comes from the token. Only the dev procedures name a partner, and
 * they are read-only.
 */

/** A key as it arrives in a path: any short string; the registry answers 404 for unknown ones. */
export const integrationKeyParamSchema = z.string().min(1, 'Unknown integration').max(100, 'Unknown integration');

/** A whole number that may arrive as a query-string text (`?limit=20`). */
const wholeNumber = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^[0-9]{1,16}$/, 'Must be a whole number').transform(Number)])
    .pipe(z.number().int('Must be a whole number').min(min).max(max));

export const listIntegrationsInputSchema = z
  .strictObject({
    category: categorySchema.optional(),
    /** Case-insensitive text search over name, provider and description. */
    q: z.string().trim().max(200).optional(),
  })
  .optional();
export type ListIntegrationsInput = z.input<typeof listIntegrationsInputSchema>;

export const integrationListSchema = z.object({ items: z.array(integrationSummarySchema) });
export type IntegrationList = z.infer<typeof integrationListSchema>;

export const integrationKeyInputSchema = z.strictObject({ key: integrationKeyParamSchema });
export type IntegrationKeyInput = z.infer<typeof integrationKeyInputSchema>;

/** Upper bound on the number of keys a settings object may carry (the body size is bounded too). */
export const maxSettingsKeys = 64;

/**
 * Settings as sent: an object of text or booleans. Only the object and its size are checked
 * here; each integration's own schema (built from its field specs) then checks every value, so
 * messages name the field and the problem. Keys are never echoed unless they look like field
 * keys: a value pasted into a key must not come back in an error.
 */
export const settingsInputSchema = z
  .record(z.string(), z.unknown())
  .refine((settings) => Object.keys(settings).length <= maxSettingsKeys, `At most ${maxSettingsKeys} settings`)
  .describe('Field key → text or true/false, as the integration\'s field specs describe') as unknown as z.ZodType<SettingsInput, SettingsInput>;

export const configureInputSchema = z.strictObject({ key: integrationKeyParamSchema, settings: settingsInputSchema });
export type ConfigureInput = z.infer<typeof configureInputSchema>;

export const reconfigureInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  settings: settingsInputSchema,
  /** The version the edit started from; a newer version on the server is a 409 conflict. */
  baseVersion: z.number().int().positive().optional(),
});
export type ReconfigureInput = z.infer<typeof reconfigureInputSchema>;

export const testInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** An unsaved draft to test (merged with the stored secrets); nothing is persisted for it. */
  settings: settingsInputSchema.optional(),
  /**
   * The check an app runs by itself right after saving settings. When the caller's own edit is
   * still unchecked (status Configured), it is recorded as an automatic check (the system's, no
   * `tested` row): the person saved, nobody tested. Otherwise it is an ordinary test.
   */
  afterSave: z.boolean().optional(),
});
export type TestInput = z.infer<typeof testInputSchema>;

export const testOutputSchema = z.object({
  health: z.enum(['ok', 'degraded', 'error']),
  message: z.string().nullable(),
  draft: z.boolean(),
  /** Whether the result was stored (false for drafts, or when the settings changed meanwhile). */
  recorded: z.boolean(),
  checkedAt: z.iso.datetime(),
  detail: integrationDetailSchema,
});
export type TestOutput = z.infer<typeof testOutputSchema>;

export const deleteInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** When given, the delete is refused (409) if the configuration changed since this version. */
  baseVersion: wholeNumber(1, 2 ** 31 - 1).optional(),
});
export type DeleteInput = z.input<typeof deleteInputSchema>;

export const deleteOutputSchema = z.object({ key: integrationKeySchema, deleted: z.literal(true) });
export type DeleteOutput = z.infer<typeof deleteOutputSchema>;

/** Audit cursors are opaque to clients: pass back `nextCursor` to get the following page. */
export const auditCursorSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'Not a cursor from a previous page')
  .refine((c) => Number.isSafeInteger(Number(c)), 'Not a cursor from a previous page');
export const maxAuditPageSize = 100;
export const defaultAuditPageSize = 50;

export const auditInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  action: auditActionSchema.optional(),
  cursor: auditCursorSchema.optional(),
  limit: wholeNumber(1, maxAuditPageSize).optional(),
});
export type AuditInput = z.input<typeof auditInputSchema>;

export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), nextCursor: auditCursorSchema.nullable() });
export type AuditPage = z.infer<typeof auditPageSchema>;

// Dev partner (platform operator): read-only views of any partner. -------------------------

const partnerIdParam = wholeNumber(1, Number.MAX_SAFE_INTEGER);

export const devPartnerSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  isDev: z.boolean(),
  configuredCount: z.number().int().min(0),
  errorCount: z.number().int().min(0),
});
export type DevPartner = z.infer<typeof devPartnerSchema>;
export const devPartnerListSchema = z.object({ items: z.array(devPartnerSchema) });

export const devListIntegrationsInputSchema = z.strictObject({
  partnerId: partnerIdParam,
  category: categorySchema.optional(),
  q: z.string().trim().max(200).optional(),
});
export const devIntegrationInputSchema = z.strictObject({ partnerId: partnerIdParam, key: integrationKeyParamSchema });
export const devAuditInputSchema = auditInputSchema.extend({ partnerId: partnerIdParam });
