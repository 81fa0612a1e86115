import { z } from 'zod';

/**
 * Inputs and outputs of Huntress's actions. Paths, filters and fields: vendor-apis.md §5 and the
 * published API document (shared/vendor-specs/huntress-openapi.json). Ids travel as text.
 */

const clientId = z.coerce.number('Client id must be a number').int().positive('Client id must be a positive number');
const numericId = (what: string) => z.coerce.string(`${what} id must be text`).trim().regex(/^\d{1,15}$/, `${what} id is the number Huntress gives it`);

/** Huntress's own filter values [H: HUN-OAS `GET /v1/incident_reports` parameters]. */
export const incidentStatuses = ['sent', 'closed', 'dismissed', 'auto_remediating', 'deleting', 'partner_dismissed'] as const;
export const incidentSeverities = ['low', 'high', 'critical'] as const;

export const huntressOrganizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string().nullable(),
  agentsCount: z.number().nullable(),
  incidentReportsCount: z.number().nullable(),
  url: z.string().nullable(),
});

export const huntressAgentSchema = z.object({
  id: z.string(),
  hostname: z.string().nullable(),
  organizationId: z.string().nullable(),
  platform: z.string().nullable(),
  os: z.string().nullable(),
  version: z.string().nullable(),
  ipv4Address: z.string().nullable(),
  externalIp: z.string().nullable(),
  serialNumber: z.string().nullable(),
  lastCallbackAt: z.string().nullable(),
});

export const huntressRemediationSchema = z.object({ id: z.string().nullable(), type: z.string().nullable(), action: z.string().nullable(), status: z.string().nullable() });

export const huntressIncidentSummarySchema = z.object({
  id: z.string(),
  subject: z.string().nullable(),
  severity: z.string().nullable(),
  status: z.string().nullable(),
  platform: z.string().nullable(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  agentId: z.string().nullable(),
  sentAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  url: z.string().nullable(),
});
export type HuntressIncidentSummary = z.infer<typeof huntressIncidentSummarySchema>;
export const huntressIncidentSchema = huntressIncidentSummarySchema.extend({
  summary: z.string().nullable(),
  indicatorTypes: z.array(z.string()),
  /** The first 10, as Huntress lists them on the report; `remediationsTotal` counts them all. */
  remediations: z.array(huntressRemediationSchema),
  remediationsTotal: z.number().nullable(),
  /** Remediations still waiting for approval: Huntress will not resolve the report while any are. */
  unapprovedRemediations: z.number(),
});

/** `huntress.organizations.list`: one page of the account's organizations (`GET /v1/organizations`). */
export const huntressOrganizationsListInput = z.strictObject({
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(500, 'Limit is at most 500').default(100),
  /** The `nextPageToken` of the previous page. */
  pageToken: z.string('Page token must be text').trim().min(1).max(1024, 'Page token must be at most 1,024 characters').regex(/^[A-Za-z0-9_\-=+/%.]+$/, 'Page token is the nextPageToken of the previous page').optional(),
});
export const huntressOrganizationsListOutput = z.object({ organizations: z.array(huntressOrganizationSchema), nextPageToken: z.string().nullable() });

/** `huntress.agents.get`: one agent (`GET /v1/agents/{id}`). */
export const huntressAgentsGetInput = z.strictObject({ agentId: numericId('Agent') });
export const huntressAgentsGetOutput = z.object({ agent: huntressAgentSchema.extend({ url: z.string().nullable() }) });

/** `huntress.incidents.find`: the incident reports of the client's mapped organizations, newest first. */
export const huntressIncidentsFindInput = z.strictObject({
  clientId,
  status: z.enum(incidentStatuses, `Status is one of ${incidentStatuses.join(', ')}`).optional(),
  severity: z.enum(incidentSeverities, `Severity is one of ${incidentSeverities.join(', ')}`).optional(),
  agentId: numericId('Agent').optional(),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(100, 'Limit is at most 100').default(25),
});
export const huntressIncidentsFindOutput = z.object({ incidents: z.array(huntressIncidentSummarySchema), truncated: z.boolean() });

/** `huntress.incidents.get`: one incident report with its remediations (`GET /v1/incident_reports/{id}`). */
export const huntressIncidentsGetInput = z.strictObject({ incidentId: numericId('Incident report') });
export const huntressIncidentsGetOutput = z.object({ incident: huntressIncidentSchema });

/** `huntress.incidents.resolve` (side-effectful): `POST /v1/incident_reports/{id}/resolution`. */
export const huntressIncidentsResolveInput = z.strictObject({
  /** The client whose incident it is: the report must belong to one of its mapped organizations. */
  clientId: clientId.optional(),
  incidentId: numericId('Incident report'),
});
export const huntressIncidentsResolveOutput = z.object({ incident: huntressIncidentSchema });
