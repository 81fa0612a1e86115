import type { BackupSummary } from '../../../shared/actions/msp360.js';
import { csvRows, type CsvCell } from './csv.js';

const header = ['Client', 'From', 'To', 'Company', 'Computer', 'Plan', 'Jobs', 'Successes', 'Failures', 'Data copied (bytes)', 'Last run status', 'Last run started', 'Last run error'];

/** The backup summary as CSV: one row per plan, then a totals row. */
export function backupSummaryCsv(summary: BackupSummary): string {
  const rows: CsvCell[][] = [header];
  for (const plan of summary.plans) {
    rows.push([
      summary.clientName,
      summary.from,
      summary.to,
      plan.companyName,
      plan.computerName,
      plan.planName,
      plan.jobs,
      plan.successes,
      plan.failures,
      plan.dataCopiedBytes,
      plan.lastRun?.status ?? null,
      plan.lastRun?.startedAt ?? null,
      plan.lastRun?.errorMessage ?? null,
    ]);
  }
  const { totals } = summary;
  rows.push([summary.clientName, summary.from, summary.to, 'All', null, 'Total', totals.jobs, totals.successes, totals.failures, totals.dataCopiedBytes, null, null, null]);
  return csvRows(rows);
}
