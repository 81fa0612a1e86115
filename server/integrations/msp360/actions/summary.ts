import type { BackupSummary, Msp360PlanRun } from '../../../../shared/actions/msp360.js';
import { formatBytes, formatUtcTime, parseUtcTime } from '../../../services/reports/format.js';
import { planStatusName, type Msp360MonitoringRow } from '../client.js';

/**
 * The backup summary, computed from MSP360's Monitoring rows (the specification's `/v2/reports`
 * is not an MSP360 endpoint). What Monitoring can tell: the **latest** run of each plan — its
 * start, status, error and data copied. What it cannot: earlier runs. So over a date range a plan
 * counts at most one job (its latest run, when that started inside the range); a plan that ran
 * nightly for a week still shows one job. The text says so, so nobody reads it as a full history.
 */

/** How statuses count: Warning finished with a warning (a success); Overdue, Running and Unknown are neither. */
const successes = new Set(['Success', 'Warning']);
const failures = new Set(['Error', 'Interrupted', 'UnexpectedlyClosed']);

const dayMs = 86_400_000;

/** A Monitoring time: ISO with a zone, or .NET's zone-less form (read as UTC). Null when unreadable. */
export const parseMonitoringTime = parseUtcTime;

/** The range asked for, or the last 7 days (today and the six before it, UTC). */
export function summaryRange(input: { from?: string; to?: string }, now: Date): { from: string; to: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const to = input.to ?? (input.from && input.from > day(now.getTime()) ? input.from : day(now.getTime()));
  const from = input.from ?? day(Date.parse(`${to}T00:00:00Z`) - 6 * dayMs);
  return { from, to };
}

/** A row as the plan-run schema shows it. */
export function planRun(row: Msp360MonitoringRow): Msp360PlanRun {
  const name = row.PlanName?.trim() || 'Unnamed plan';
  return {
    planId: row.PlanId?.trim() || `${row.ComputerName ?? ''}/${name}`,
    planName: name.slice(0, 500),
    planType: row.PlanType === null || row.PlanType === undefined ? null : String(row.PlanType),
    companyName: row.CompanyName ?? null,
    computerName: row.ComputerName ?? null,
    userEmail: row.UserName ?? null,
    status: planStatusName(row.Status),
    lastStart: row.LastStart ?? null,
    nextStart: row.NextStart ?? null,
    errorMessage: row.ErrorMessage?.trim() || null,
    dataCopiedBytes: typeof row.DataCopied === 'number' && row.DataCopied >= 0 ? row.DataCopied : null,
    duration: row.Duration ?? null,
  };
}

export interface SummaryInput {
  clientName: string;
  companies: string[];
  runs: Msp360PlanRun[];
  from: string;
  to: string;
  now: Date;
}

/** Jobs, successes, failures, data and the latest run per plan for the range, plus lines for a ticket comment. */
export function summarizeBackups(input: SummaryInput): BackupSummary {
  const start = Date.parse(`${input.from}T00:00:00Z`);
  const end = Date.parse(`${input.to}T00:00:00Z`) + dayMs;
  const plans = input.runs.map((run) => {
    const at = parseMonitoringTime(run.lastStart);
    const inRange = at !== null && at >= start && at < end;
    const copied = inRange ? (run.dataCopiedBytes ?? 0) : 0;
    return {
      planName: run.planName.slice(0, 500),
      computerName: run.computerName?.slice(0, 500) ?? null,
      companyName: run.companyName?.slice(0, 500) ?? null,
      jobs: inRange ? 1 : 0,
      successes: inRange && successes.has(run.status) ? 1 : 0,
      failures: inRange && failures.has(run.status) ? 1 : 0,
      dataCopiedBytes: copied,
      lastRun: { status: run.status.slice(0, 100), startedAt: run.lastStart?.slice(0, 100) ?? null, errorMessage: run.errorMessage?.slice(0, 2000) ?? null },
    };
  });
  // Failures first, then plans that did not run in the range, then the rest; by computer and name.
  const rank = (p: (typeof plans)[number]) => (p.failures ? 0 : p.jobs === 0 ? 1 : 2);
  plans.sort((a, b) => rank(a) - rank(b) || (a.computerName ?? '').localeCompare(b.computerName ?? '') || a.planName.localeCompare(b.planName));
  const totals = plans.reduce(
    (t, p) => ({ jobs: t.jobs + p.jobs, successes: t.successes + p.successes, failures: t.failures + p.failures, dataCopiedBytes: t.dataCopiedBytes + p.dataCopiedBytes }),
    { jobs: 0, successes: 0, failures: 0, dataCopiedBytes: 0 },
  );
  const summary: BackupSummary = {
    clientName: input.clientName.slice(0, 500),
    companies: input.companies.slice(0, 200).map((c) => c.slice(0, 500)),
    from: input.from,
    to: input.to,
    generatedAt: input.now.toISOString(),
    totals,
    plans: plans.slice(0, 2000),
    text: '',
  };
  summary.text = summaryText(summary);
  return summary;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A few plain-text lines to paste into a ticket comment. */
export function summaryText(summary: BackupSummary): string {
  const { totals } = summary;
  const where = (p: BackupSummary['plans'][number]) => [p.computerName, p.planName].filter(Boolean).join(' – ');
  const lines = [`MSP360 backup summary for ${summary.clientName}, ${summary.from} to ${summary.to}:`];
  if (summary.plans.length === 0) {
    lines.push('No backup plans were found for this client in MSP360.');
  } else {
    lines.push(`${plural(totals.jobs, 'job')} of ${plural(summary.plans.length, 'plan')}: ${totals.successes} succeeded, ${totals.failures} failed; ${formatBytes(totals.dataCopiedBytes)} copied.`);
    for (const p of summary.plans.filter((x) => x.failures > 0).slice(0, 10)) {
      const error = p.lastRun?.errorMessage ? `: ${p.lastRun.errorMessage}` : '';
      lines.push(`FAILED ${where(p)}, ${formatUtcTime(p.lastRun?.startedAt ?? null)}${error}`);
    }
    const idle = summary.plans.filter((x) => x.jobs === 0);
    if (idle.length) lines.push(`No run in this period: ${idle.slice(0, 10).map(where).join('; ')}${idle.length > 10 ? ` and ${idle.length - 10} more` : ''}.`);
  }
  lines.push('(MSP360 Monitoring keeps only the latest run of each plan; earlier runs are not counted.)');
  return lines.join('\n').slice(0, 20_000);
}
