import { z } from 'zod';
import { integrationKeyParamSchema } from './integrations/api.js';

/**
 * Clients and their mappings to the external organizations of an integration (issue 14), for
 * tRPC and REST alike. Inputs are strict objects (an unknown key is a 400) and never carry a
 * partner id: the partner comes from the token.
 */

/** A database id as it may arrive in a path or query string (`/api/clients/12`). */
export const idParamSchema = z.preprocess(
  (value) => (typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value),
  z
    .number('Must be a whole number')
    .int('Must be a whole number')
    .min(1, 'Must be a positive id')
    .max(Number.MAX_SAFE_INTEGER, 'Must be a positive id'),
);

export const clientNameSchema = z
  .string('Name must be text')
  .trim()
  .min(1, 'Name is required')
  .max(200, 'Name must be at most 200 characters');

export const clientSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  archived: z.boolean(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Client = z.infer<typeof clientSchema>;

export const listClientsInputSchema = z
  .strictObject({
    /** Archived clients are left out unless asked for. */
    includeArchived: z
      .preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean('Must be true or false'))
      .optional(),
  })
  .optional();
export const clientListSchema = z.object({ items: z.array(clientSchema) });

export const createClientInputSchema = z.strictObject({ name: clientNameSchema });
export const renameClientInputSchema = z.strictObject({
  id: idParamSchema,
  name: clientNameSchema,
  /** The version the caller edited; a newer one on the server is a 409. */
  baseVersion: z.number('Must be a whole number').int('Must be a whole number').min(1).optional(),
});
export const clientIdInputSchema = z.strictObject({ id: idParamSchema });

export const externalOrgIdSchema = z
  .string('Organization id must be text')
  .trim()
  .min(1, 'Organization id is required')
  .max(200, 'Organization id must be at most 200 characters');

export const mappingSchema = z.object({
  id: z.number().int(),
  clientId: z.number().int(),
  integrationKey: z.string(),
  externalOrgId: z.string(),
  externalOrgName: z.string(),
  createdBy: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  /**
   * The latest discovery no longer lists this organization. Flagged, never deleted: the
   * integration turns Degraded with the count until a person unmaps or remaps it.
   */
  missingAtVendor: z.boolean(),
});
export type Mapping = z.infer<typeof mappingSchema>;
export const mappingListSchema = z.object({ items: z.array(mappingSchema) });

export const mappingsByIntegrationInputSchema = z.strictObject({ key: integrationKeyParamSchema });
export const mappingsByClientInputSchema = z.strictObject({ clientId: idParamSchema });

/** One organization to map: its id and the name the vendor showed when it was mapped. */
export const newMappingSchema = z.strictObject({
  clientId: idParamSchema,
  externalOrgId: externalOrgIdSchema,
  externalOrgName: z.string('Organization name must be text').trim().max(500, 'Organization name must be at most 500 characters'),
});
export type NewMapping = z.infer<typeof newMappingSchema>;

export const createMappingInputSchema = newMappingSchema.extend({ key: integrationKeyParamSchema });
export const deleteMappingInputSchema = z.strictObject({ key: integrationKeyParamSchema, externalOrgId: externalOrgIdSchema });

/** Creates and deletes of one integration, applied together or not at all. */
export const applyMappingsInputSchema = z
  .strictObject({
    key: integrationKeyParamSchema,
    create: z.array(newMappingSchema).max(5_000, 'At most 5,000 mappings at once').default([]),
    /** External organization ids whose mapping goes. */
    delete: z.array(externalOrgIdSchema).max(5_000, 'At most 5,000 mappings at once').default([]),
  })
  .refine((v) => v.create.length + v.delete.length > 0, { message: 'Nothing to apply', path: ['create'] });
export const applyMappingsOutputSchema = z.object({ created: z.array(mappingSchema), deleted: z.number().int() });

/** What a 409 on an already mapped organization carries in `details`. */
export const mappingConflictSchema = z.object({
  externalOrgId: z.string(),
  clientId: z.number().int(),
  clientName: z.string(),
});
export type MappingConflict = z.infer<typeof mappingConflictSchema>;

/** An organization of an integration as discovery lists it. */
export const organizationSchema = z.strictObject({
  id: externalOrgIdSchema,
  name: z.string('Organization name must be text').max(500, 'Organization name must be at most 500 characters'),
  url: z.string().max(2_000).optional(),
});
export type Organization = z.infer<typeof organizationSchema>;

/** `preselect`: names equal once normalised; `review`: similar enough to show. */
export const suggestionSchema = z.object({
  clientId: z.number().int(),
  externalOrgId: z.string(),
  score: z.number().min(0).max(1),
  kind: z.enum(['preselect', 'review']),
});
export type Suggestion = z.infer<typeof suggestionSchema>;
export const suggestInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** Left out: the organizations of the latest discovery snapshot (409 when there is none). */
  organizations: z.array(organizationSchema).max(20_000, 'At most 20,000 organizations').optional(),
});
export const suggestionListSchema = z.object({ items: z.array(suggestionSchema) });

/** The dev partner's read-only views of one partner's clients and mappings. */
export const devClientsInputSchema = z.strictObject({
  partnerId: idParamSchema,
  includeArchived: z
    .preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean('Must be true or false'))
    .optional(),
});
export const devMappingsInputSchema = z.strictObject({ partnerId: idParamSchema, key: integrationKeyParamSchema });

export const clientAuditActionSchema = z.enum(['client_created', 'client_renamed', 'client_archived', 'mapping_created', 'mapping_deleted']);
export type ClientAuditAction = z.infer<typeof clientAuditActionSchema>;

/** One client or mapping change: who, what, before and after (null on a create or delete). */
export const clientAuditEntrySchema = z.object({
  id: z.number().int(),
  clientId: z.number().int().nullable(),
  integrationKey: z.string().nullable(),
  action: clientAuditActionSchema,
  actor: z.string(),
  userId: z.number().int().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.iso.datetime(),
});
export type ClientAuditEntry = z.infer<typeof clientAuditEntrySchema>;

/** A page of the audit, newest first; pass `nextCursor` back as `before` for the next one. */
export const clientAuditInputSchema = z
  .strictObject({
    /** One client's rows only. */
    clientId: idParamSchema.optional(),
    before: idParamSchema.optional(),
    limit: z.preprocess(
      (value) => (typeof value === 'string' && /^[0-9]{1,4}$/.test(value) ? Number(value) : value),
      z.number('Must be a whole number').int('Must be a whole number').min(1, 'At least 1').max(200, 'At most 200').optional(),
    ),
  })
  .optional();
export const clientAuditPageSchema = z.object({ items: z.array(clientAuditEntrySchema), nextCursor: z.number().int().nullable() });
