import { setMaxListeners } from 'node:events';
import { VendorError } from '../http/errors.js';
import type { M365Api, M365Call } from './client.js';
import { consentFromError, consented, type Consent } from './consent.js';

/** One tenant's answer: whether a token came, and whether `GET /organization` was allowed. */
export interface TenantCheck {
  tenantId: string;
  consent: Consent;
  /** Why the tenant is not usable, in plain words ("consent missing", "permission … missing"); null when it is. */
  problem: string | null;
}

/** Tenants checked at once by one sweep: enough to finish 500 in seconds, few enough to stay polite. */
export const sweepConcurrency = 16;
/** A sweep stops starting tenants this long before its budget ends, so it can still report. */
const reserveMs = 2_000;

/** A tenant's problem, grouped by its kind for the summary ("consent missing", …). */
export function problemKind(check: TenantCheck): string {
  if (check.consent.state !== 'consented') return (check.consent.reason ?? 'refused').split(':')[0]!.replace(/ \(AADSTS\d+\)$/, '');
  return (check.problem ?? '').split(':')[0]!;
}

/** One tenant: its own token (from its own token endpoint), then `GET /organization?$select=id,displayName`. */
export async function checkTenant(api: M365Api, call: M365Call, tenantId: string): Promise<TenantCheck> {
  try {
    await (call.oauth.forOrganization?.(tenantId) ?? call.oauth).accessToken({ signal: call.budget.signal });
  } catch (error) {
    const consent = consentFromError(error);
    return { tenantId, consent, problem: consent.reason };
  }
  try {
    await api.organization(call, tenantId);
    return { tenantId, consent: consented, problem: null };
  } catch (error) {
    if (error instanceof VendorError && error.kind === 'forbidden') return { tenantId, consent: consented, problem: 'permission missing: grant the app Organization.Read.All (or Directory.Read.All) and consent again in this tenant' };
    if (error instanceof VendorError && error.kind === 'rate_limited') return { tenantId, consent: consented, problem: 'throttled: Microsoft Graph asked to wait (429)' };
    const kind = error instanceof VendorError ? error.kind : 'failed';
    return { tenantId, consent: consented, problem: `Graph unreachable: ${kind}` };
  }
}

/**
 * Checks tenants with bounded concurrency, in order; those not started before the budget's
 * reserve are left out of the map (the caller says "not checked in time").
 */
export async function sweepTenants(api: M365Api, call: M365Call, tenantIds: readonly string[], concurrency = sweepConcurrency): Promise<Map<string, TenantCheck>> {
  const results = new Map<string, TenantCheck>();
  // Every tenant's token request and Graph read listen on the one budget signal: more at once than
  // Node's default of 10, which it reports as a leak ("MaxListenersExceededWarning") on each sweep.
  setMaxListeners(concurrency * 4, call.budget.signal);
  let next = 0;
  const worker = async () => {
    while (next < tenantIds.length && call.budget.deadline - Date.now() > reserveMs && !call.budget.signal.aborted) {
      const tenantId = tenantIds[next++] as string;
      results.set(tenantId, await checkTenant(api, call, tenantId));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tenantIds.length) }, worker));
  return results;
}
