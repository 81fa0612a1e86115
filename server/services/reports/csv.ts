/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields with a comma, quote or line break quoted,
 * quotes doubled), with spreadsheet formula injection guarded: a text cell that starts with
 * = + - @ (or a tab or carriage return, which some spreadsheets skip before reading a formula) is
 * prefixed with a single quote, so a plan named "=HYPERLINK(…)" is shown, never run (OWASP,
 * "CSV Injection"). Numbers are written as numbers and never prefixed: -1 stays a number.
 */
export type CsvCell = string | number | null;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const guarded = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function csvRows(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
