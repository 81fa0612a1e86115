import { m365ClientReadInput, m365LicensesOutput, m365SecureScoreOutput, m365UsersFindInput, m365UsersFindOutput, type M365LicenseRow } from '../../../../shared/actions/microsoft365.js';
import { defineAction } from '../../actions.js';
import { secureScoreSchema, skuSchema, userSchema } from '../client.js';
import { clientTenants, openRun, perTenant, type M365ActionDeps } from './call.js';

const n = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The reads over one tenant of a client, or all of them; each row names its tenant [§1.5]. */
export function m365ReadActions(deps: M365ActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'microsoft365.licenses.summary',
      label: 'Summarize Microsoft 365 licenses',
      description: 'Subscribed SKUs per tenant of the client: licenses consumed against prepaid, in warning and suspended.',
      sideEffectful: false,
      clientScoped: true,
      input: m365ClientReadInput,
      output: m365LicensesOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const tenants = await clientTenants(ctx, input.clientId, input.tenantId);
        // `GET /subscribedSkus` (only $select is supported) [H: graphdocs subscribedsku-list.md].
        const { outcomes, rows } = await perTenant(tenants, 'Organization.Read.All', async (t): Promise<M365LicenseRow[]> => {
          const { items } = await api.graphAll(call, t.tenantId, '/subscribedSkus', { $select: 'skuId,skuPartNumber,capabilityStatus,consumedUnits,prepaidUnits' }, skuSchema, 500);
          // The tenant's name first and its id last: the desktop's result table shows the first 8 columns.
          return items.map((s) => ({
            tenantName: t.tenantName,
            skuPartNumber: s.skuPartNumber ?? s.skuId ?? 'unknown',
            capabilityStatus: s.capabilityStatus ?? null,
            consumed: n(s.consumedUnits),
            prepaid: n(s.prepaidUnits?.enabled),
            available: Math.max(0, n(s.prepaidUnits?.enabled) - n(s.consumedUnits)),
            warning: n(s.prepaidUnits?.warning),
            suspended: n(s.prepaidUnits?.suspended),
            tenantId: t.tenantId,
          }));
        });
        return { output: { tenants: outcomes, licenses: rows } };
      },
    }),

    defineAction({
      id: 'microsoft365.secure_score.get',
      label: 'Get Microsoft Secure Score',
      description: 'The latest Microsoft Secure Score of each tenant of the client.',
      sideEffectful: false,
      clientScoped: true,
      input: m365ClientReadInput,
      output: m365SecureScoreOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const tenants = await clientTenants(ctx, input.clientId, input.tenantId);
        // `GET /security/secureScores?$top=1` [H: graphdocs security-list-securescores.md].
        const { outcomes, rows } = await perTenant(tenants, 'SecurityEvents.Read.All', async (t) => {
          const page = await api.graphPage(call, t.tenantId, '/security/secureScores', { $top: '1' });
          const s = page.value.length ? secureScoreSchema.parse(page.value[0]) : undefined;
          const current = s?.currentScore ?? null;
          const max = s?.maxScore ?? null;
          return [{ ...t, currentScore: current, maxScore: max, percent: current !== null && max ? Math.round((current / max) * 1000) / 10 : null, createdDateTime: s?.createdDateTime ?? null }];
        });
        return { output: { tenants: outcomes, scores: rows } };
      },
    }),

    defineAction({
      id: 'microsoft365.users.find',
      label: 'Find Microsoft 365 users',
      description: 'Users of the client’s tenants whose name or user principal name starts with the text.',
      sideEffectful: false,
      clientScoped: true,
      input: m365UsersFindInput,
      output: m365UsersFindOutput,
      async run(ctx, input) {
        const call = openRun(ctx, deps);
        const tenants = await clientTenants(ctx, input.clientId, input.tenantId);
        let truncated = false;
        // `GET /users?$filter=startswith(…)&$select=…` [H/L: §1.5.6]; quotes refused by the input schema.
        const filter = `startswith(displayName,'${input.query}') or startswith(userPrincipalName,'${input.query}')`;
        const { outcomes, rows } = await perTenant(tenants, 'User.Read.All', async (t) => {
          const got = await api.graphAll(call, t.tenantId, '/users', { $filter: filter, $select: 'id,displayName,userPrincipalName,accountEnabled', $top: String(input.limit) }, userSchema, input.limit);
          truncated ||= got.truncated;
          return got.items.map((u) => ({ ...t, id: u.id, displayName: u.displayName ?? null, userPrincipalName: u.userPrincipalName ?? null, accountEnabled: u.accountEnabled ?? null }));
        });
        return { output: { tenants: outcomes, users: rows.slice(0, input.limit), truncated: truncated || rows.length > input.limit } };
      },
    }),
  ];
}
