import { z } from 'zod';
import { auditActorKindSchema, auditChangeSchema } from './catalog.js';
import { integrationKeyParamSchema } from './api.js';

/**
 * Issue 18 §1: every configuration change keeps the full previous version (secrets as their
 * ciphertexts, never decrypted for display), listed with who, when and a field diff, and any
 * version can be restored as a new one.
 */

export const maxVersionsListed = 50;

export const configVersionSchema = z.object({
  /** The configuration's row version this was (1 = the first save). */
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  /** An email for a person, `system` for the system. */
  actor: z.string(),
  actorKind: auditActorKindSchema,
  /** What changed from the version before it (secrets as "changed", never a value); empty for the first. */
  changes: z.array(auditChangeSchema),
  /** A health check of exactly this version answered Ok or Degraded. */
  passedCheck: z.boolean(),
  /** The version in force now. */
  current: z.boolean(),
  /** When this version restored an earlier one: which. */
  restoredFrom: z.number().int().positive().nullable(),
});
export type ConfigVersion = z.infer<typeof configVersionSchema>;

export const versionsInputSchema = z.strictObject({ key: integrationKeyParamSchema });
export const versionsOutputSchema = z.object({
  items: z.array(configVersionSchema),
  /** Set when the desktop answers from its copy (the server cannot be reached): when it was read. */
  savedAt: z.iso.datetime().optional(),
});
export type VersionsOutput = z.infer<typeof versionsOutputSchema>;

export const rollbackInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** The version to restore. */
  toVersion: z.coerce.number('Choose a version to restore').int().positive('Choose a version to restore').max(2_147_483_647, 'There is no such version'),
  /** The version the person looked at: a change made meanwhile is a 409, as for an edit. */
  baseVersion: z.coerce.number('baseVersion must be a number').int().positive().max(2_147_483_647, 'There is no such version'),
});
export type RollbackInput = z.infer<typeof rollbackInputSchema>;
