import type { BackupSummary } from '../../../shared/actions/msp360.js';
import { backupSummaryCsv } from './backupSummaryCsv.js';
import { backupSummaryHtml } from './backupSummaryHtml.js';

export type ReportFormat = 'csv' | 'html';

export interface ReportFile {
  format: ReportFormat;
  filename: string;
  contentType: string;
  body: Buffer;
}

/** "Dataforth Corp." → "dataforth-corp": a file name part without anything a file system or header minds. */
function slug(value: string): string {
  return (
    value
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'client'
  );
}

/** The backup summary rendered in each format asked for, named `backup-summary-<client>-<from>-to-<to>.<ext>`. */
export function renderBackupSummary(summary: BackupSummary, formats: readonly ReportFormat[]): ReportFile[] {
  const base = `backup-summary-${slug(summary.clientName)}-${summary.from}-to-${summary.to}`;
  return [...new Set(formats)].map((format) =>
    format === 'csv'
      ? { format, filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(backupSummaryCsv(summary), 'utf8') }
      : { format, filename: `${base}.html`, contentType: 'text/html; charset=utf-8', body: Buffer.from(backupSummaryHtml(summary), 'utf8') },
  );
}
