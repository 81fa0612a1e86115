import { m365TenantsListInput, m365TenantsListOutput, type M365TenantRow } from '../../../../shared/actions/microsoft365.js';
import { defineAction } from '../../actions.js';
import { consentLink, needsConsent } from '../consent.js';
import { sweepTenants } from '../sweep.js';
import { openRun, type M365ActionDeps } from './call.js';

/**
 * `microsoft365.tenants.list`: the mapped customer tenants (of one client, or all of the
 * partner's) and, for each, whether the app gets a token there — asked of that tenant's token
 * endpoint now, so running it again after an admin consented is the re-check — with the reason in
 * plain words and Microsoft's admin-consent link where consent would fix it.
 */
export function m365TenantActions(deps: M365ActionDeps) {
  return [
    defineAction({
      id: 'microsoft365.tenants.list',
      label: 'List Microsoft 365 tenants',
      description: "The customer tenants mapped to a client (or all mapped tenants), each with whether the app has consent there and, where not, why and the admin-consent link.",
      sideEffectful: false,
      clientScoped: false,
      input: m365TenantsListInput,
      output: m365TenantsListOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const mapped =
          input.clientId === undefined
            ? ((await ctx.allMappedOrganizations?.()) ?? []).map((o) => ({ id: o.id, name: o.name, clientId: o.clientId as number | null }))
            : (await ctx.mappedOrganizations(input.clientId)).map((o) => ({ id: o.id, name: o.name, clientId: input.clientId as number | null }));
        const checks = await sweepTenants(deps.api, call, [...new Set(mapped.map((m) => m.id.toLowerCase()))]);
        const tenants: M365TenantRow[] = mapped.map((m) => {
          const check = checks.get(m.id.toLowerCase());
          const consent = check?.consent ?? { state: 'unreachable' as const, reason: 'not checked in time', code: null };
          return {
            tenantId: m.id,
            tenantName: m.name,
            clientId: m.clientId,
            consent: consent.state,
            reason: consent.reason ?? check?.problem ?? null,
            consentUrl: needsConsent(consent) ? consentLink(call.hosts, m.id, call.settings.appId) : null,
          };
        });
        return { output: { tenants } };
      },
    }),
  ];
}
