import { AppError } from '../../../../shared/errors.js';
import type { HuntressIncidentSummary } from '../../../../shared/actions/huntress.js';
import type { z } from 'zod';
import type { huntressIncidentSchema } from '../../../../shared/actions/huntress.js';
import type { ActionContext } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import type { RateLimit } from '../../http/rateLimiter.js';
import { openHuntressCall } from '../call.js';
import type { HuntressApi, HuntressCall, HuntressIncidentReport } from '../client.js';
import { huntressWebUrl, type HuntressCredentials } from '../settings.js';

/** What every Huntress action is built with: the plugin's API (one vendor client) and its limits. */
export interface HuntressActionDeps {
  api: HuntressApi;
  /** Bound on one action run, waits for the request budget included. */
  timeoutMs: number;
  rateLimit?: RateLimit;
}

export interface HuntressRun {
  call: HuntressCall;
  credentials: HuntressCredentials;
}

/** Opens a run from the partner's settings; settings the service let through but we cannot use are a CONFLICT. */
export function openRun(ctx: ActionContext, deps: HuntressActionDeps): HuntressRun {
  const opened = openHuntressCall(ctx, deps.timeoutMs, deps.rateLimit);
  if ('problem' in opened) throw new AppError('CONFLICT', opened.problem);
  return opened;
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? null : String(value));

/**
 * An incident report's page in Huntress's web app, `https://<subdomain>.huntress.io/incident_reports/<id>`:
 * inferred [L], a link for people only.
 */
export function incidentUrl(run: HuntressRun, id: number | string): string {
  return huntressWebUrl(run.credentials.subdomain, `/incident_reports/${encodeURIComponent(String(id))}`);
}

export function incidentSummary(run: HuntressRun, report: HuntressIncidentReport, organizationName?: string): HuntressIncidentSummary {
  return {
    id: String(report.id),
    subject: report.subject ?? null,
    severity: report.severity ?? null,
    status: report.status ?? null,
    platform: report.platform ?? null,
    organizationId: text(report.organization_id),
    organizationName: organizationName ?? null,
    agentId: text(report.agent_id),
    sentAt: report.sent_at ?? null,
    closedAt: report.closed_at ?? null,
    updatedAt: report.updated_at ?? null,
    url: incidentUrl(run, report.id),
  };
}

/** The report with its remediations; "unapproved" is the remediation status Huntress names [H: HUN-OAS definitions/Remediation]. */
export function incidentDetail(run: HuntressRun, report: HuntressIncidentReport, organizationName?: string): z.infer<typeof huntressIncidentSchema> {
  const items = report.remediations?.items ?? [];
  return {
    ...incidentSummary(run, report, organizationName),
    summary: report.summary ?? null,
    indicatorTypes: report.indicator_types ?? [],
    remediations: items.map((r) => ({ id: text(r.id), type: r.type ?? null, action: r.action ?? null, status: r.status ?? null })),
    remediationsTotal: report.remediations?.total_count ?? null,
    unapprovedRemediations: items.filter((r) => r.status === 'unapproved').length,
  };
}

const vendorSays = (error: VendorError) => {
  const said = error.details.vendorMessage;
  return said ? ` Huntress says: ${said}${/[.!?]$/.test(said) ? '' : '.'}` : '';
};

/**
 * What a refused Huntress read means, as an error a user can act on: 401 → the key pair was
 * rejected; 403 → the key lacks the permission; 404 → "doesn't exist, or your account does not
 * hold correct permissions" [H: HUN-OAS intro], so NOT_FOUND saying both. Anything else stays a
 * VendorError (the action service words and records it).
 */
export function readFailure(error: unknown, what: { doing: string; resource: string; id?: string }): unknown {
  if (!(error instanceof VendorError)) return error;
  if (error.kind === 'unauthorized') {
    return new AppError('VENDOR_ERROR', `Huntress rejected the API key or secret key while trying to ${what.doing}; check the key pair in the integration's settings.`, { details: { vendorStatus: 401 } });
  }
  if (error.kind === 'forbidden') {
    return new AppError('VENDOR_ERROR', `Huntress refused to ${what.doing} (HTTP 403).${vendorSays(error)} The API key may not read ${what.resource}: use a key with that permission.`, {
      details: { vendorStatus: 403 },
    });
  }
  if (error.kind === 'not_found' && what.id !== undefined) {
    return new AppError('NOT_FOUND', `Huntress has no ${what.resource.replace(/s$/, '')} ${what.id} that this API key may see`);
  }
  return error;
}

export async function guardedRead<T>(what: { doing: string; resource: string; id?: string }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw readFailure(error, what);
  }
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
