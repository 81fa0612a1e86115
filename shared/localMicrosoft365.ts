import { z } from 'zod';
import { m365ConsentStates, m365LicenseRowSchema } from './actions/microsoft365.js';
import { integrationKeySchema } from './integrations/catalog.js';
import { organizationKeySchema } from './integrations/oauth.js';

/**
 * The desktop's local API for Microsoft 365 across customer tenants (issue 26): an
 * administrator's consent in one mapped tenant, run by the core (loopback listener, PKCE, system
 * browser) like issue 16's sign-in, and a client's tenants as its screen shows them, read through
 * the plugin's actions and cached for offline reading.
 */

/**
 * waiting: the consent page is open (or to be opened) and the listener waits for the browser;
 * checking: the browser came back and the server asks that tenant for a token; consented or
 * failed: what the server's re-check found (or why it never got that far).
 */
export const consentPhases = ['waiting', 'checking', 'consented', 'failed', 'cancelled'] as const;

export const consentTargetSchema = z.object({ key: integrationKeySchema, organizationKey: organizationKeySchema });
export type ConsentTarget = z.infer<typeof consentTargetSchema>;

/** One consent of one organization, as the renderer follows it. */
export const consentViewSchema = consentTargetSchema.extend({
  phase: z.enum(consentPhases),
  /** The vendor's consent page to open; only while waiting (the shell opens exactly this URL). */
  consentUrl: z.string().nullable(),
  /** When the server forgets this consent (10 minutes after it started). */
  expiresAt: z.iso.datetime(),
  /** Why it failed, in words a person can act on; null otherwise. */
  message: z.string().nullable(),
});
export type ConsentView = z.infer<typeof consentViewSchema>;

/** One part of a tenant's reading: its rows, or why that tenant did not answer. */
const part = <T extends z.ZodType>(value: T) => z.object({ value: value.nullable(), error: z.string().nullable() });

export const clientTenantSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  consent: z.enum(m365ConsentStates),
  /** Plain words; null when consented. */
  reason: z.string().nullable(),
  /** Whether an administrator's consent would fix it (Grant consent is offered). */
  consentFixes: z.boolean(),
  licenses: part(z.array(m365LicenseRowSchema)),
  secureScore: part(z.object({ currentScore: z.number().nullable(), maxScore: z.number().nullable(), percent: z.number().nullable(), createdDateTime: z.string().nullable() })),
});
export type ClientTenant = z.infer<typeof clientTenantSchema>;

export const clientTenantsViewSchema = z.object({
  tenants: z.array(clientTenantSchema),
  /** When the server answered (now, or the cached reading's time). */
  fetchedAt: z.iso.datetime(),
  /** True when the server could not be reached and this is the last reading kept here. */
  fromCache: z.boolean(),
});
export type ClientTenantsView = z.infer<typeof clientTenantsViewSchema>;

export const clientTenantsInputSchema = z.object({ clientId: z.number().int().positive() });
