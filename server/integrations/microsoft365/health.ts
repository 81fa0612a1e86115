import { commonHealth } from '../http/healthMapping.js';
import { VendorError } from '../http/errors.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import { openM365Call, type M365Api, type M365Call } from './client.js';
import { appRefused, consentFromError } from './consent.js';
import { discoverySources } from './settings.js';
import { problemKind, sweepTenants } from './sweep.js';

const vendor = 'Microsoft 365';

export interface M365HealthOptions {
  api: M365Api;
  /** Hard bound on one check, the whole sweep included. */
  checkTimeoutMs: number;
}

/** The partner-level token and one discovery page: Error when the app itself is refused. */
async function partnerLevel(api: M365Api, call: M365Call): Promise<HealthResult | null> {
  try {
    await call.oauth.accessToken({ signal: call.budget.signal });
  } catch (error) {
    const consent = consentFromError(error);
    if (consent.state === 'unreachable') return commonHealth(error, vendor, call.log);
    return Health.error(`The partner tenant ${call.settings.partnerTenant} refused the app ${call.settings.appId}: ${consent.reason}`);
  }
  try {
    if (call.settings.discovery === discoverySources.gdap) {
      await api.graphPage(call, '', '/tenantRelationships/delegatedAdminRelationships', { $filter: "status eq 'active'", $top: '1' });
    } else {
      await api.customersPage(call, 1);
    }
  } catch (error) {
    const what = call.settings.discovery === discoverySources.gdap ? 'GDAP relationships (DelegatedAdminRelationship.Read.All)' : 'Partner Center customers';
    if (error instanceof VendorError && (error.kind === 'forbidden' || error.kind === 'unauthorized')) return Health.degraded(`Microsoft refused reading ${what}: customer tenants cannot be discovered`);
    return commonHealth(error, vendor, call.log);
  }
  return null;
}

/** The expiry date the partner gave for the secret, when it is within 14 days (Microsoft has not refused it yet). */
function secretWarning(call: M365Call, now: number): string | null {
  const expires = call.settings.secretExpires;
  if (!expires || expires.getTime() - now > 14 * 86_400_000) return null;
  const date = expires.toISOString().slice(0, 10);
  return expires.getTime() <= now ? `the client secret was due to expire on ${date}: create a new one` : `the client secret expires on ${date}: create a new one before then`;
}

/**
 * The Microsoft 365 health check [§1.4]: the partner-level token and one discovery page, then in
 * every mapped customer tenant its own token and `GET /organization?$select=id,displayName` (one
 * resource unit), 16 tenants at a time. Degraded names how many tenants fail and why ("3 of 40
 * tenants: consent missing"); Error only when the app itself is refused (secret invalid or
 * expired: AADSTS7000215 / 7000222), wherever that shows first.
 */
export function m365HealthCheck(options: M365HealthOptions): (ctx: PluginContext) => Promise<HealthResult> {
  return async (ctx) => {
    const opened = openM365Call(ctx, options.checkTimeoutMs);
    if ('problem' in opened) return Health.error(opened.problem);
    const { call } = opened;
    const partner = await partnerLevel(options.api, call);
    if (partner) return partner;

    const mapped = (await ctx.allMappedOrganizations?.()) ?? [];
    // A tenant gone from discovery (GDAP ended) is counted once by the framework as missing at
    // the vendor; asking it for a token too would count it twice.
    const tenants = [...new Set(mapped.filter((m) => !m.missingAtVendor).map((m) => m.id.toLowerCase()))];
    if (tenants.length === 0 && secretWarning(call, Date.now())) return Health.degraded(secretWarning(call, Date.now()) as string);
    if (tenants.length === 0) return Health.ok(`Signed in to partner tenant ${call.settings.partnerTenant}; no customer tenant is mapped to a client yet`);
    const results = await sweepTenants(options.api, call, tenants);
    const refused = [...results.values()].find((r) => appRefused(r.consent));
    if (refused) return Health.error(`Microsoft refused the app ${call.settings.appId}: ${refused.consent.reason}`);

    const byKind = new Map<string, number>();
    for (const r of results.values()) if (r.problem) byKind.set(problemKind(r), (byKind.get(problemKind(r)) ?? 0) + 1);
    const unchecked = tenants.length - results.size;
    if (unchecked) byKind.set('not checked in time', unchecked);
    const expiring = secretWarning(call, Date.now());
    if (expiring) byKind.set(expiring, 0);
    if (byKind.size === 0) return Health.ok(`All ${tenants.length} mapped tenant${tenants.length === 1 ? '' : 's'} answer with the app's own token`);
    const parts = [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => (n === 0 ? kind : `${n} of ${tenants.length} tenant${tenants.length === 1 ? '' : 's'}: ${kind}`));
    return Health.degraded(parts.join('; '));
  };
}
