import { describe, expect, it } from 'vitest';
import type { BackupSummary } from '../../../shared/actions/msp360.js';
import { backupSummaryCsv } from './backupSummaryCsv.js';
import { backupSummaryHtml, escapeHtml } from './backupSummaryHtml.js';
import { csvCell, csvRows } from './csv.js';
import { renderBackupSummary } from './files.js';

const hostile = '<script>alert("x")</script> & \'quoted\'';
const summary: BackupSummary = {
  clientName: 'Dataforth Corp.',
  companies: ['Dataforth Corp'],
  from: '2026-11-30',
  to: '2026-12-06',
  generatedAt: '2026-12-06T07:00:00.000Z',
  totals: { jobs: 2, successes: 1, failures: 1, dataCopiedBytes: 14_200_000_000 },
  plans: [
    { planName: '=HYPERLINK("http://evil.example","click")', computerName: 'DF-FS01', companyName: 'Dataforth Corp', jobs: 1, successes: 0, failures: 1, dataCopiedBytes: 0, lastRun: { status: 'Error', startedAt: '2026-12-05T22:00:00', errorMessage: 'Access denied, "svc-backup"\nline two' } },
    { planName: hostile, computerName: '@DF-DC01', companyName: '+Dataforth', jobs: 1, successes: 1, failures: 0, dataCopiedBytes: 14_200_000_000, lastRun: { status: 'Success', startedAt: '2026-12-05T23:00:00', errorMessage: null } },
  ],
  text: 'irrelevant',
};

describe('CSV', () => {
  it('writes RFC 4180: CRLF ends, quoting only where needed, quotes doubled, numbers as numbers', () => {
    expect(csvRows([['a', 'b,c', 'say "hi"', 'two\nlines', 3, null, -1]])).toBe('a,"b,c","say ""hi""","two\nlines",3,,-1\r\n');
  });

  it('guards every text cell that a spreadsheet would read as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('-5 GB')).toBe("'-5 GB");
    expect(csvCell('Plain')).toBe('Plain');
  });

  it('renders the summary one row per plan plus totals, hostile names inert', () => {
    const lines = backupSummaryCsv(summary).split('\r\n');
    expect(lines[0]).toBe('Client,From,To,Company,Computer,Plan,Jobs,Successes,Failures,Data copied (bytes),Last run status,Last run started,Last run error');
    expect(lines[1]).toBe(`Dataforth Corp.,2026-11-30,2026-12-06,Dataforth Corp,DF-FS01,"'=HYPERLINK(""http://evil.example"",""click"")",1,0,1,0,Error,2026-12-05T22:00:00,"Access denied, ""svc-backup""\nline two"`);
    expect(backupSummaryCsv(summary)).toContain(",'+Dataforth,'@DF-DC01,");
    expect(backupSummaryCsv(summary).trimEnd().split('\r\n').at(-1)).toBe('Dataforth Corp.,2026-11-30,2026-12-06,All,,Total,2,1,1,14200000000,,,');
  });
});

describe('printable HTML', () => {
  it('escapes every value: no markup from the vendor or the client name survives', () => {
    const html = backupSummaryHtml({ ...summary, clientName: hostile, companies: [hostile] });
    expect(html).not.toContain('<script');
    expect(html).not.toContain(hostile);
    expect(html).toContain(escapeHtml(hostile));
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;');
  });

  it('is a static page: no script, no external resource, a CSP that allows nothing else, print CSS', () => {
    const html = backupSummaryHtml(summary);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).toContain('@media print');
    expect(html).toContain('<dt>Failed</dt><dd>1</dd>');
    expect(html).toContain('14.2 GB');
    expect(html).toContain('2026-12-05 22:00 UTC');
  });

  it('names the files after the client and the range, once per format', () => {
    const files = renderBackupSummary(summary, ['csv', 'html', 'csv']);
    expect(files.map((f) => [f.filename, f.contentType])).toEqual([
      ['backup-summary-dataforth-corp-2026-11-30-to-2026-12-06.csv', 'text/csv; charset=utf-8'],
      ['backup-summary-dataforth-corp-2026-11-30-to-2026-12-06.html', 'text/html; charset=utf-8'],
    ]);
    expect(renderBackupSummary({ ...summary, clientName: '../../etc/ <passwd>' }, ['csv'])[0]?.filename).toBe('backup-summary-etc-passwd-2026-11-30-to-2026-12-06.csv');
  });
});
