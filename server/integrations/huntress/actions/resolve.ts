import { huntressIncidentsResolveInput, huntressIncidentsResolveOutput } from '../../../../shared/actions/huntress.js';
import { AppError } from '../../../../shared/errors.js';
import { defineAction } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import { keyTypes } from '../settings.js';
import { guardedRead, incidentDetail, incidentUrl, openRun, type HuntressActionDeps, type HuntressRun } from './call.js';

/** Why the action cannot run with the default account key (Huntress's own words, HUN-OAS). */
export const readOnlyKeyMessage =
  "Huntress's account API key is read-only: resolving incident reports needs a user-based API key with permission to resolve them. Create one in Huntress › API Credentials and choose \"User-based API key\" as the key type in the integration's settings.";

const vendorSays = (error: VendorError) => {
  const said = error.details.vendorMessage;
  return said ? ` Huntress says: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '';
};

/**
 * Huntress's refusals of a resolution, each worded with what to do [H: HUN-OAS
 * `POST /v1/incident_reports/{id}/resolution`]: 409 "Confirm that all remediations are approved
 * and report status is 'sent'"; 422 "cannot be resolved unless report status is 'sent'"; 403 the
 * key may not (the account key is read-only); 401 the pair was rejected; 404 no such report.
 */
function resolveFailure(run: HuntressRun, error: unknown, id: string): unknown {
  if (!(error instanceof VendorError)) return error;
  const link = incidentUrl(run, id);
  if (error.status === 409) {
    return new AppError('CONFLICT', `Huntress will not resolve incident report ${id} while remediations wait for approval.${vendorSays(error)} Approve or reject them in Huntress (${link}), then resolve again.`, {
      details: { vendorStatus: 409, reason: 'unapproved_remediations' },
    });
  }
  if (error.status === 422) {
    return new AppError('CONFLICT', `Huntress resolves only incident reports whose status is "sent"; report ${id} is not.${vendorSays(error)} Nothing was changed; see it in Huntress (${link}).`, {
      details: { vendorStatus: 422, reason: 'not_sent' },
    });
  }
  if (error.kind === 'forbidden') {
    return new AppError('VENDOR_ERROR', `Huntress refused to resolve incident report ${id} (HTTP 403).${vendorSays(error)} ${readOnlyKeyMessage}`, { details: { vendorStatus: 403 } });
  }
  if (error.kind === 'unauthorized') {
    return new AppError('VENDOR_ERROR', "Huntress rejected the API key or secret key while trying to resolve the incident report; check the key pair in the integration's settings.", { details: { vendorStatus: 401 } });
  }
  if (error.kind === 'not_found') return new AppError('NOT_FOUND', `Huntress has no incident report ${id} that this API key may see`);
  return error;
}

/** The side-effectful action: resolve one incident report. */
export function huntressResolveAction(deps: HuntressActionDeps) {
  const { api } = deps;
  return defineAction({
    id: 'huntress.incidents.resolve',
    label: 'Resolve a Huntress incident report',
    description:
      'Marks the incident report resolved in Huntress. Every remediation must be approved first and the report must have status "sent". Needs a user-based API key. With a client, the report must belong to one of its mapped organizations.',
    sideEffectful: true,
    clientScoped: false,
    input: huntressIncidentsResolveInput,
    output: huntressIncidentsResolveOutput,
    // Huntress has no call that reads a key's permissions; the partner's key type says it.
    availability: ({ settings }) => (settings.key_type === keyTypes.user ? null : { code: 'not_permitted', message: readOnlyKeyMessage }),
    async run(ctx, input) {
      const run = openRun(ctx, deps);
      let organizationName: string | undefined;
      if (input.clientId !== undefined) {
        // A resolution meant for one client must never land on another's report because an id was mistyped.
        const organizations = await ctx.mappedOrganizations(input.clientId);
        const report = await guardedRead({ doing: 'read the incident report', resource: 'incident reports', id: input.incidentId }, () => api.incidentReport(run.call, input.incidentId));
        const owner = organizations.find((o) => report.organization_id !== null && report.organization_id !== undefined && o.id === String(report.organization_id));
        if (!owner) {
          const clientName = organizations[0]?.clientName ?? `client ${input.clientId}`;
          throw new AppError('CONFLICT', `Incident report ${input.incidentId} belongs to a Huntress organization that is not mapped to ${clientName}; nothing was sent to Huntress.`, {
            details: { incidentId: input.incidentId, organizationId: report.organization_id ?? null },
          });
        }
        organizationName = owner.name;
      }
      let resolved;
      try {
        resolved = await api.resolve(run.call, input.incidentId);
      } catch (error) {
        throw resolveFailure(run, error, input.incidentId);
      }
      // 201 carries the report [H: HUN-OAS]; should it not, the report is read back.
      const report = resolved ?? (await guardedRead({ doing: 'read the incident report', resource: 'incident reports', id: input.incidentId }, () => api.incidentReport(run.call, input.incidentId)));
      return { output: { incident: incidentDetail(run, report, organizationName) } };
    },
  });
}
