import { AppError } from '../../../../shared/errors.js';
import type { ActionContext } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import { openM365Call, type M365Api, type M365Call } from '../client.js';
import { appRefused, consentFromError } from '../consent.js';
import { sweepConcurrency } from '../sweep.js';

export interface M365ActionDeps {
  api: M365Api;
  timeoutMs: number;
}

export function openRun(ctx: ActionContext, deps: M365ActionDeps): M365Call {
  const opened = openM365Call(ctx, deps.timeoutMs);
  if ('problem' in opened) throw new AppError('CONFLICT', opened.problem);
  return opened.call;
}

export interface Tenant {
  tenantId: string;
  tenantName: string;
}

/**
 * The client's tenants for this run: all of them, or the one asked for. A tenant that is not
 * mapped to this client (not this partner's customer, or another client's) is 404: nothing is
 * sent to Microsoft for it.
 */
export async function clientTenants(ctx: ActionContext, clientId: number, tenantId?: string): Promise<Tenant[]> {
  const mapped = (await ctx.mappedOrganizations(clientId)).map((o) => ({ tenantId: o.id.toLowerCase(), tenantName: o.name }));
  if (tenantId === undefined) return mapped;
  const one = mapped.filter((t) => t.tenantId === tenantId);
  if (one.length === 0) throw new AppError('NOT_FOUND', `Tenant ${tenantId} is not one of this client's Microsoft 365 tenants`);
  return one;
}

/** What went wrong in one tenant, in words for the partner (no secrets: reasons are ours). */
export function tenantError(error: unknown, permission: string): string {
  if (error instanceof VendorError) {
    if (error.kind === 'forbidden') return `permission missing: the app needs ${permission} in this tenant (Authorization_RequestDenied)`;
    if (error.kind === 'rate_limited') return 'Microsoft Graph is throttling this tenant (429): try again shortly';
    if (error.kind === 'unauthorized') return 'Microsoft Graph refused the tenant token (401)';
    return `Microsoft Graph failed (${error.kind})`;
  }
  return consentFromError(error).reason ?? 'failed';
}

/**
 * Runs `read` in each tenant (16 at a time), keeping each tenant's outcome: one tenant's failure
 * is reported beside the others' rows. An app-level refusal (secret invalid or expired) fails
 * the whole run instead: no tenant can answer.
 */
export async function perTenant<R>(tenants: Tenant[], permission: string, read: (t: Tenant) => Promise<R[]>) {
  const outcomes: { tenantId: string; tenantName: string; ok: boolean; error: string | null }[] = [];
  const rows: R[] = [];
  let next = 0;
  let fatal: unknown;
  const worker = async () => {
    while (next < tenants.length && fatal === undefined) {
      const t = tenants[next++] as Tenant;
      try {
        rows.push(...(await read(t)));
        outcomes.push({ ...t, ok: true, error: null });
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (appRefused(consentFromError(error))) fatal = error;
        outcomes.push({ ...t, ok: false, error: tenantError(error, permission) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(sweepConcurrency, tenants.length) }, worker));
  if (fatal !== undefined) throw new AppError('CONFLICT', `Microsoft refused the app: ${consentFromError(fatal).reason}`);
  const order = new Map(tenants.map((t, i) => [t.tenantId, i]));
  outcomes.sort((a, b) => (order.get(a.tenantId) ?? 0) - (order.get(b.tenantId) ?? 0));
  return { outcomes, rows };
}
