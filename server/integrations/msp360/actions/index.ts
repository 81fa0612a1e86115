import {
  msp360BackupSummaryInput,
  msp360BackupSummaryOutput,
  msp360CompaniesListInput,
  msp360CompaniesListOutput,
  msp360MonitoringStatusInput,
  msp360MonitoringStatusOutput,
  type Msp360PlanRun,
} from '../../../../shared/actions/msp360.js';
import { AppError } from '../../../../shared/errors.js';
import { defineAction, type ActionContext, type ActionDefinition } from '../../actions.js';
import { VendorError } from '../../http/errors.js';
import type { PluginContext, HealthResult } from '../../types.js';
import type { Msp360Api, Msp360Company } from '../client.js';
import type { Msp360Session } from '../session.js';
import { planRun, summarizeBackups, summaryRange } from './summary.js';

export interface Msp360ActionDeps {
  api: Msp360Api;
  /** A session for this partner's settings on the plugin's token cache (login, re-login once on 401/403). */
  open(ctx: PluginContext): Msp360Session | { invalid: HealthResult };
}

const companyId = (c: Msp360Company) => (c.ID ?? c.Id)?.trim() ?? '';
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Reads with the partner's session. A refusal the session words (login refused, token refused)
 * becomes a VENDOR_ERROR with that message; 403 names the resource; other vendor failures
 * (429, 5xx, timeouts) stay VendorErrors for the action service to word and record.
 */
async function withSession<T>(ctx: ActionContext, deps: Msp360ActionDeps, resource: string, fn: (session: Msp360Session, token: string) => Promise<T>): Promise<T> {
  const session = deps.open(ctx);
  if ('invalid' in session) throw new AppError('CONFLICT', session.invalid.message ?? 'MSP360 settings are not valid');
  try {
    return await session.read((token) => fn(session, token));
  } catch (error) {
    if (error instanceof VendorError && error.kind === 'forbidden') {
      const says = error.details.vendorMessage ? ` MSP360 says: ${error.details.vendorMessage}` : '';
      throw new AppError('VENDOR_ERROR', `The MSP360 API login may not read ${resource} (HTTP 403).${says}`, { details: { vendorStatus: 403 } });
    }
    if (error instanceof VendorError && error.kind !== 'unauthorized') throw error;
    throw new AppError('VENDOR_ERROR', session.failure(error).message ?? 'MSP360 refused the request', { details: { vendorStatus: error instanceof VendorError ? (error.status ?? null) : null } });
  }
}

/**
 * The client's plan runs: Monitoring rows carry the company's *name*, not its id, so the mapped
 * company ids are turned into names through `GET /api/Companies` first.
 */
async function clientRuns(ctx: ActionContext, deps: Msp360ActionDeps, clientId: number): Promise<{ clientName: string; companies: string[]; runs: Msp360PlanRun[] }> {
  const mapped = await ctx.mappedOrganizations(clientId);
  const clientName = mapped[0]?.clientName ?? `Client ${clientId}`;
  return withSession(ctx, deps, 'Companies and Monitoring', async (session, token) => {
    const companies = await deps.api.companies(session.call, token);
    // A company renamed at MSP360 since the mapping is found by its new name; one gone keeps the mapping's.
    const names = mapped.map((m) => companies.find((c) => companyId(c) === m.id)?.Name?.trim() || m.name);
    const rows = await deps.api.monitoring(session.call, token);
    const runs = rows.filter((r) => r.CompanyName && names.some((n) => sameName(n, r.CompanyName ?? ''))).map(planRun);
    return { clientName, companies: names, runs };
  });
}

/** MSP360's actions (issue 15): companies, a client's plan runs, and the backup summary. All read-only. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's own input/output types, as IntegrationPlugin.actions
export function msp360Actions(deps: Msp360ActionDeps): readonly ActionDefinition<any, any>[] {
  return [
    defineAction({
      id: 'msp360.companies.list',
      label: 'List MSP360 companies',
      description: 'Every backup company of the MSP360 account.',
      sideEffectful: false,
      clientScoped: false,
      input: msp360CompaniesListInput,
      output: msp360CompaniesListOutput,
      async run(ctx) {
        const companies = await withSession(ctx, deps, 'Companies', (session, token) => deps.api.companies(session.call, token));
        return { output: { companies: companies.filter((c) => companyId(c)).map((c) => ({ id: companyId(c), name: c.Name?.trim() || `Company ${companyId(c)}` })) } };
      },
    }),

    defineAction({
      id: 'msp360.monitoring.status',
      label: "A client's MSP360 backup plans",
      description: "The latest run of each backup plan of the MSP360 companies mapped to the client.",
      sideEffectful: false,
      clientScoped: true,
      input: msp360MonitoringStatusInput,
      output: msp360MonitoringStatusOutput,
      async run(ctx, input) {
        const { runs } = await clientRuns(ctx, deps, input.clientId);
        return { output: { plans: runs } };
      },
    }),

    defineAction({
      id: 'msp360.reports.backup_summary',
      label: 'MSP360 backup summary',
      description:
        "Jobs, successes, failures, data copied and the latest run per plan of the client's MSP360 companies for a date range (default: the last 7 days), with a few lines for a ticket comment. Computed from Monitoring, which keeps only the latest run of each plan.",
      sideEffectful: false,
      clientScoped: true,
      input: msp360BackupSummaryInput,
      output: msp360BackupSummaryOutput,
      async run(ctx, input) {
        const now = new Date();
        const { from, to } = summaryRange(input, now);
        const { clientName, companies, runs } = await clientRuns(ctx, deps, input.clientId);
        return { output: summarizeBackups({ clientName, companies, runs, from, to, now }) };
      },
    }),
  ];
}
