import { z } from 'zod';

/**
 * Inputs and outputs of Microsoft 365's actions (issue 26; vendor-apis-m365-zapier.md §1.5). A
 * client may map to several customer tenants: a read takes one of them (`tenantId`) or all, every
 * row names its tenant, and `tenants` says per tenant whether it answered, so one tenant's failure
 * is reported beside the others' rows.
 */

const clientId = z.coerce.number('Client id must be a number').int().positive('Client id must be a positive number').max(2_147_483_647, 'Client id is too large');
const guid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const tenantId = z.string('Tenant id must be text').trim().toLowerCase().regex(guid, 'The tenant id is a GUID such as 00000000-0000-0000-0000-000000000000');

export const m365ConsentStates = ['consented', 'not_consented', 'app_missing', 'gdap_not_authorized', 'secret_invalid', 'secret_expired', 'blocked_by_ca', 'tenant_unknown', 'refused', 'unreachable'] as const;

/** Whether one tenant answered this run, and why not. */
export const m365TenantOutcomeSchema = z.object({ tenantId: z.string(), tenantName: z.string(), ok: z.boolean(), error: z.string().nullable() });

export const m365TenantsListInput = z.strictObject({ clientId: clientId.optional() });
export const m365TenantRowSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  clientId: z.number().int().nullable(),
  consent: z.enum(m365ConsentStates),
  /** Plain words; null when consented. */
  reason: z.string().nullable(),
  /** Microsoft's admin-consent link for this tenant when consent would fix it. */
  consentUrl: z.string().nullable(),
});
export const m365TenantsListOutput = z.object({ tenants: z.array(m365TenantRowSchema) });
export type M365TenantRow = z.infer<typeof m365TenantRowSchema>;

/** A read over one tenant of the client, or all of them. */
export const m365ClientReadInput = z.strictObject({ clientId, tenantId: tenantId.optional() });

export const m365LicenseRowSchema = z.object({
  tenantName: z.string(),
  skuPartNumber: z.string(),
  capabilityStatus: z.string().nullable(),
  consumed: z.number(),
  /** prepaidUnits.enabled */
  prepaid: z.number(),
  available: z.number(),
  warning: z.number(),
  suspended: z.number(),
  tenantId: z.string(),
});
export const m365LicensesOutput = z.object({ tenants: z.array(m365TenantOutcomeSchema), licenses: z.array(m365LicenseRowSchema) });
export type M365LicenseRow = z.infer<typeof m365LicenseRowSchema>;

export const m365SecureScoreRowSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  currentScore: z.number().nullable(),
  maxScore: z.number().nullable(),
  percent: z.number().nullable(),
  createdDateTime: z.string().nullable(),
});
export const m365SecureScoreOutput = z.object({ tenants: z.array(m365TenantOutcomeSchema), scores: z.array(m365SecureScoreRowSchema) });

export const m365UsersFindInput = m365ClientReadInput.extend({
  query: z.string('Search text must be text').trim().min(1, 'Enter a name or user principal name to search for').max(100, 'At most 100 characters').regex(/^[^'"\\]+$/, 'Quotes and backslashes are not allowed in a search'),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'At least 1').max(200, 'At most 200').default(50),
});
export const m365UserRowSchema = z.object({ tenantId: z.string(), tenantName: z.string(), id: z.string(), displayName: z.string().nullable(), userPrincipalName: z.string().nullable(), accountEnabled: z.boolean().nullable() });
export const m365UsersFindOutput = z.object({ tenants: z.array(m365TenantOutcomeSchema), users: z.array(m365UserRowSchema), truncated: z.boolean() });

export const m365RevokeInput = z.strictObject({
  clientId,
  tenantId,
  userId: z.string('User id must be text').trim().min(1, 'Enter the user id or user principal name').max(200, 'At most 200 characters').regex(/^[A-Za-z0-9._@+-]+$/, 'A user id (GUID) or user principal name'),
});
export const m365RevokeOutput = z.object({ tenantId: z.string(), tenantName: z.string(), userId: z.string(), revoked: z.boolean() });
