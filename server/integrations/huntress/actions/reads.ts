import {
  huntressAgentsGetInput,
  huntressAgentsGetOutput,
  huntressIncidentsFindInput,
  huntressIncidentsFindOutput,
  huntressIncidentsGetInput,
  huntressIncidentsGetOutput,
  huntressOrganizationsListInput,
  huntressOrganizationsListOutput,
  type HuntressIncidentSummary,
} from '../../../../shared/actions/huntress.js';
import { defineAction } from '../../actions.js';
import { organizationName, organizationUrl } from '../organizations.js';
import { huntressWebUrl } from '../settings.js';
import { guardedRead, incidentDetail, incidentSummary, mapLimit, openRun, type HuntressActionDeps } from './call.js';

/** Organizations asked at once when a client maps to several (the key's 60 a minute paces them anyway). */
const organizationConcurrency = 3;

const newestFirst = (a: HuntressIncidentSummary, b: HuntressIncidentSummary) =>
  (b.sentAt ?? b.updatedAt ?? '').localeCompare(a.sentAt ?? a.updatedAt ?? '') || Number(b.id) - Number(a.id);

/** The read actions: organizations, an agent, a client's incident reports, one report. */
export function huntressReadActions(deps: HuntressActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'huntress.organizations.list',
      label: 'List Huntress organizations',
      description: 'One page of the organizations of your Huntress account; pass nextPageToken for the next.',
      sideEffectful: false,
      clientScoped: false,
      input: huntressOrganizationsListInput,
      output: huntressOrganizationsListOutput,
      async run(ctx, input) {
        const run = openRun(ctx, deps);
        const page = await guardedRead({ doing: 'list organizations', resource: 'organizations' }, () => api.organizations(run.call, input.limit, input.pageToken ?? null));
        return {
          output: {
            organizations: page.items.map((o) => ({
              id: String(o.id),
              name: organizationName(o),
              key: o.key ?? null,
              agentsCount: o.agents_count ?? null,
              incidentReportsCount: o.incident_reports_count ?? null,
              url: organizationUrl(run.credentials.subdomain, o.id),
            })),
            nextPageToken: page.nextPageToken,
          },
        };
      },
    }),

    defineAction({
      id: 'huntress.agents.get',
      label: 'Read a Huntress agent',
      description: 'One agent (host) with its platform, versions, addresses and last check-in.',
      sideEffectful: false,
      clientScoped: false,
      input: huntressAgentsGetInput,
      output: huntressAgentsGetOutput,
      async run(ctx, input) {
        const run = openRun(ctx, deps);
        const a = await guardedRead({ doing: 'read the agent', resource: 'agents', id: input.agentId }, () => api.agent(run.call, input.agentId));
        return {
          output: {
            agent: {
              id: String(a.id),
              hostname: a.hostname ?? null,
              organizationId: a.organization_id === null || a.organization_id === undefined ? null : String(a.organization_id),
              platform: a.platform ?? null,
              os: a.os ?? null,
              version: a.version ?? null,
              ipv4Address: a.ipv4_address ?? null,
              externalIp: a.external_ip ?? null,
              serialNumber: a.serial_number ?? null,
              lastCallbackAt: a.last_callback_at ?? null,
              // Inferred from the app's addresses [L]; a link for people only.
              url: huntressWebUrl(run.credentials.subdomain, `/agents/${a.id}`),
            },
          },
        };
      },
    }),

    defineAction({
      id: 'huntress.incidents.find',
      label: "Find a client's Huntress incident reports",
      description: 'Incident reports of the Huntress organizations mapped to the client, by status, severity and agent, newest first.',
      sideEffectful: false,
      clientScoped: true,
      input: huntressIncidentsFindInput,
      output: huntressIncidentsFindOutput,
      async run(ctx, input) {
        const organizations = await ctx.mappedOrganizations(input.clientId);
        const run = openRun(ctx, deps);
        // One `GET /v1/incident_reports?organization_id=` per mapped organization, `limit` each:
        // enough to fill the answer, and `truncated` says when an organization had more.
        const pages = await mapLimit(organizations, organizationConcurrency, (org) =>
          guardedRead({ doing: 'list incident reports', resource: 'incident reports' }, async () => ({
            org,
            page: await api.incidentReports(run.call, { organizationId: org.id, status: input.status, severity: input.severity, agentId: input.agentId }, input.limit),
          })),
        );
        const all = pages.flatMap(({ org, page }) => page.items.map((r) => incidentSummary(run, r, org.name))).sort(newestFirst);
        const more = pages.some(({ page }) => page.nextPageToken !== null);
        return { output: { incidents: all.slice(0, input.limit), truncated: more || all.length > input.limit } };
      },
    }),

    defineAction({
      id: 'huntress.incidents.get',
      label: 'Read a Huntress incident report',
      description: 'One incident report with its remediations and how many still wait for approval.',
      sideEffectful: false,
      clientScoped: false,
      input: huntressIncidentsGetInput,
      output: huntressIncidentsGetOutput,
      async run(ctx, input) {
        const run = openRun(ctx, deps);
        const report = await guardedRead({ doing: 'read the incident report', resource: 'incident reports', id: input.incidentId }, () => api.incidentReport(run.call, input.incidentId));
        return { output: { incident: incidentDetail(run, report) } };
      },
    }),
  ];
}
