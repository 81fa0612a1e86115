import { z } from 'zod';
import { fieldSpecSchema, settingsViewSchema } from './fields.js';

export const categories = ['Psa', 'Backup', 'Rmm', 'Monitoring', 'Security', 'Communication', 'Documentation'] as const;
export const categorySchema = z.enum(categories);
export type Category = z.infer<typeof categorySchema>;

/** SPEC-005 status: no row · saved, unchecked · last check Ok or Degraded · last check Error. */
export const statuses = ['Not Configured', 'Configured', 'Active', 'Error'] as const;
export const statusSchema = z.enum(statuses);
export type IntegrationStatus = z.infer<typeof statusSchema>;

export const healthStates = ['ok', 'degraded', 'error', 'unknown'] as const;
export const healthSchema = z.enum(healthStates);
export type Health = z.infer<typeof healthSchema>;

/** Integration keys are lowercase identifiers; they name a registry entry, never a partner. */
export const integrationKeySchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'Unknown integration');

/** A link the UI may show for an entry (e.g. MSP360's MSPBackups page), opened in the system browser. */
export const catalogLinkSchema = z.object({ label: z.string(), url: z.url({ protocol: /^https?$/ }) });

/**
 * What an integration can do beyond settings, derived by the server from its plugin (never
 * declared by hand): `health` (a health check), `organizations` (discovery and mapping), and,
 * as wave 2 lands, `actions` and `oauth`. The catalog filters on these and the detail shows a
 * tab per capability.
 */
export const capabilities = ['health', 'organizations', 'actions', 'oauth'] as const;
export const capabilitySchema = z.enum(capabilities);
export type Capability = z.infer<typeof capabilitySchema>;

/** What the code registry says about an integration, whoever asks. */
export const catalogEntrySchema = z.object({
  key: integrationKeySchema,
  name: z.string(),
  provider: z.string(),
  category: categorySchema,
  description: z.string(),
  docsUrl: z.url({ protocol: /^https?$/ }).nullable(),
  fields: z.array(fieldSpecSchema),
  links: z.array(catalogLinkSchema),
  /** Rows cached by a desktop before capabilities existed read as none until the next pull. */
  capabilities: z.array(capabilitySchema).default([]),
  /**
   * What the partner must have at the vendor before configuring (permissions, scopes, which
   * credentials), in the vendor's own words. Rows cached before this existed read as none.
   */
  requirements: z.array(z.string().min(1).max(200)).max(20).default([]),
  /**
   * The vendor's mark as a base64 SVG data URI, checked and re-serialised by the server at start-up
   * (no script, event handler or external reference): shown with <img>, never inserted as markup.
   * Null (or a row cached before logos): the UI shows initials.
   */
  logo: z
    .string()
    .max(24_000)
    .regex(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/]+={0,2}$/, 'Expected an SVG data URI')
    .nullable()
    .default(null),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** This partner's state of one entry; all null/Not Configured when there is no configuration. */
export const integrationStateSchema = z.object({
  status: statusSchema,
  health: healthSchema,
  lastHealthCheck: z.iso.datetime().nullable(),
  lastOkAt: z.iso.datetime().nullable(),
  consecutiveFailures: z.number().int().min(0),
  errorMessage: z.string().nullable(),
  /** Row version for optimistic concurrency; null when not configured. */
  version: z.number().int().positive().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type IntegrationState = z.infer<typeof integrationStateSchema>;

/** The state of an entry this partner has not configured: the one definition server and core use. */
export const notConfiguredState: IntegrationState = Object.freeze({
  status: 'Not Configured',
  health: 'unknown',
  lastHealthCheck: null,
  lastOkAt: null,
  consecutiveFailures: 0,
  errorMessage: null,
  version: null,
  updatedAt: null,
});

/** One card of the catalog: registry entry + this partner's state (fields omitted for size). */
export const integrationSummarySchema = catalogEntrySchema.omit({ fields: true }).extend({ state: integrationStateSchema });
export type IntegrationSummary = z.infer<typeof integrationSummarySchema>;

/** The detail view: everything, with settings masked (secrets as `{isSet, last4}`). */
export const integrationDetailSchema = catalogEntrySchema.extend({
  state: integrationStateSchema,
  settings: settingsViewSchema.nullable(),
});
export type IntegrationDetail = z.infer<typeof integrationDetailSchema>;

export const auditActions = [
  'configured', 'reconfigured', 'deleted', 'tested', 'health_changed', 'migrated', 'discovered', 'connected', 'disconnected',
  'maintenance_scheduled', 'maintenance_ended', 'inbound_created', 'inbound_rotated', 'inbound_deleted', 'inbound_replayed',
  'assistant_action',
] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

/**
 * One field's change in an audit row. Secrets never carry values: `before`/`after` are the
 * literal "changed" (or "set"/"cleared") for them.
 */
export const auditChangeSchema = z.object({
  field: z.string(),
  before: z.union([z.string(), z.boolean(), z.null()]),
  after: z.union([z.string(), z.boolean(), z.null()]),
  secret: z.boolean(),
});
export type AuditChange = z.infer<typeof auditChangeSchema>;

/** Who wrote an audit row: a person, or the system (automatic health checks, data migrations). */
export const auditActorKinds = ['user', 'system'] as const;
export const auditActorKindSchema = z.enum(auditActorKinds);
export type AuditActorKind = z.infer<typeof auditActorKindSchema>;

/** The actor text of rows the system wrote (no user): the one place it is spelled. */
export const systemActorName = 'system';

/**
 * The kind of an audit row's actor. Stored rows name the system as the actor "system" without a
 * user (a user who was deleted keeps their email as the actor), so the kind follows from those two.
 */
export function auditActorKind(row: { actor: string; userId: number | null }): AuditActorKind {
  return row.userId === null && row.actor === systemActorName ? 'system' : 'user';
}

export const auditEntrySchema = z.object({
  id: z.number().int(),
  integrationKey: integrationKeySchema,
  action: auditActionSchema,
  /** An email for a person, `system` for the system (see actorKind). */
  actor: z.string(),
  actorKind: auditActorKindSchema,
  userId: z.number().int().nullable(),
  /** Allow-listed details: field changes, health transitions, test outcomes. */
  details: z.object({
    changes: z.array(auditChangeSchema).optional(),
    fromStatus: statusSchema.optional(),
    toStatus: statusSchema.optional(),
    health: healthSchema.optional(),
    message: z.string().optional(),
    draft: z.boolean().optional(),
    /** An OAuth2 sign-in (`connected`): the scopes the vendor granted (issue 16). Never a token. */
    scopes: z.array(z.string().max(200)).max(50).optional(),
    /** A discovery run (`discovered`): counts only, never the organizations themselves. */
    discovery: z
      .object({
        runId: z.number().int(),
        outcome: z.enum(['succeeded', 'failed']),
        pages: z.number().int().min(0),
        organizations: z.number().int().min(0),
        new: z.number().int().min(0),
        renamed: z.number().int().min(0),
        gone: z.number().int().min(0),
      })
      .optional(),
    /** A maintenance window scheduled, ended or cancelled (issue 18 §4); partnerWide when it covers every integration. */
    maintenance: z
      .object({
        windowId: z.number().int(),
        startsAt: z.iso.datetime(),
        endsAt: z.iso.datetime(),
        reason: z.string().max(500),
        partnerWide: z.boolean(),
        outcome: z.enum(['scheduled', 'ended', 'cancelled']),
      })
      .optional(),
  }),
  createdAt: z.iso.datetime(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
