import { z } from 'zod';
import { actionIdSchema } from './actions.js';
import { idParamSchema } from './clients.js';

/**
 * Personal access tokens (issue 25): what an AI assistant presents at the MCP endpoint (`/mcp`).
 * A token carries its user's partner and role and never more: read-write only for partner
 * admins, optionally narrowed to a list of actions. The secret is answered once, at creation.
 */
export const accessTokenModes = ['read_only', 'read_write'] as const;
export const accessTokenModeSchema = z.enum(accessTokenModes);
export type AccessTokenMode = z.infer<typeof accessTokenModeSchema>;

/** The longest a token may live: an assistant's token is renewed by a person at least yearly. */
export const maxAccessTokenDays = 365;
/** At most this many live tokens per user (each is a standing credential). */
export const maxAccessTokensPerUser = 20;

export const createAccessTokenInputSchema = z.strictObject({
  name: z.string('Name must be text').trim().min(1, 'Give the token a name').max(100, 'Must be at most 100 characters'),
  expiresInDays: z
    .number('Must be a whole number of days')
    .int('Must be a whole number of days')
    .min(1, 'Must be at least 1 day')
    .max(maxAccessTokenDays, `Must be at most ${maxAccessTokenDays} days`),
  mode: accessTokenModeSchema,
  /** Only these actions (tools); absent: every action the user may run. */
  allowedActions: z.array(actionIdSchema).min(1, 'List at least one action, or leave the list out').max(100, 'At most 100 actions').optional(),
});
export type CreateAccessTokenInput = z.infer<typeof createAccessTokenInputSchema>;

export const accessTokenStatusSchema = z.enum(['active', 'expired', 'revoked']);

export const accessTokenViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The first characters of the token, to tell tokens apart (`icp_AbC123`). */
  prefix: z.string(),
  mode: accessTokenModeSchema,
  allowedActions: z.array(z.string()).nullable(),
  status: accessTokenStatusSchema,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type AccessTokenView = z.infer<typeof accessTokenViewSchema>;

export const accessTokenListSchema = z.object({ items: z.array(accessTokenViewSchema) });

/** The answer to a creation: the only time the token itself is sent. */
export const accessTokenCreatedSchema = accessTokenViewSchema.extend({ token: z.string() });
export type AccessTokenCreated = z.infer<typeof accessTokenCreatedSchema>;

export const accessTokenIdInputSchema = z.strictObject({ id: idParamSchema });
