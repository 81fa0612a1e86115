import type { BackupSummary } from '../../../shared/actions/msp360.js';
import { formatBytes, formatUtcTime } from './format.js';

/** Every character that means something in HTML text or a quoted attribute, as an entity. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const text = (value: string | number | null | undefined) => escapeHtml(value === null || value === undefined ? '' : String(value));

/**
 * The backup summary as a printable HTML page: static text only (every value escaped, no
 * script, no external resource, no link), styles inline with print CSS, so it reads the same in
 * a browser, a ticket's attachment viewer or on paper.
 */
export function backupSummaryHtml(summary: BackupSummary): string {
  const { totals } = summary;
  const rows = summary.plans
    .map(
      (p) => `<tr${p.failures ? ' class="failed"' : ''}>
  <td>${text(p.companyName)}</td><td>${text(p.computerName)}</td><td>${text(p.planName)}</td>
  <td class="n">${p.jobs}</td><td class="n">${p.successes}</td><td class="n">${p.failures}</td><td class="n">${text(formatBytes(p.dataCopiedBytes))}</td>
  <td>${text(p.lastRun?.status)}</td><td>${text(p.lastRun ? formatUtcTime(p.lastRun.startedAt) : '')}</td><td>${text(p.lastRun?.errorMessage)}</td>
</tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Backup summary – ${text(summary.clientName)} – ${text(summary.from)} to ${text(summary.to)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; margin: 2rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  p.meta { color: #444; margin: 0 0 1rem; }
  dl { display: grid; grid-template-columns: repeat(4, auto); gap: .25rem 1.5rem; justify-content: start; margin: 0 0 1.25rem; }
  dt { color: #444; } dd { margin: 0; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
  th { background: #eee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
  tr.failed td { background: #fdecea; }
  p.note { color: #444; font-size: .9em; margin-top: 1rem; }
  @media print {
    body { margin: 0; font-size: 10pt; }
    th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    tr { break-inside: avoid; }
    thead { display: table-header-group; }
  }
</style>
</head>
<body>
<h1>Backup summary: ${text(summary.clientName)}</h1>
<p class="meta">${text(summary.from)} to ${text(summary.to)} · MSP360 ${summary.companies.length === 1 ? 'company' : 'companies'}: ${text(summary.companies.join(', ') || 'none')} · generated ${text(summary.generatedAt)}</p>
<dl>
  <dt>Jobs</dt><dd>${totals.jobs}</dd>
  <dt>Succeeded</dt><dd>${totals.successes}</dd>
  <dt>Failed</dt><dd>${totals.failures}</dd>
  <dt>Data copied</dt><dd>${text(formatBytes(totals.dataCopiedBytes))}</dd>
</dl>
<table>
<thead><tr><th>Company</th><th>Computer</th><th>Plan</th><th>Jobs</th><th>Succeeded</th><th>Failed</th><th>Data copied</th><th>Last run</th><th>Started</th><th>Error</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="10">No backup plans were found for this client.</td></tr>'}
</tbody>
</table>
<p class="note">From MSP360 Monitoring, which keeps only the latest run of each plan: earlier runs in the period are not counted.</p>
</body>
</html>
`;
}
