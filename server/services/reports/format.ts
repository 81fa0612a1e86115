/** How reports write sizes and times, shared by the comment text, the CSV's neighbours and the HTML page. */

/** "18.4 GB", "512 MB", "0 B": decimal units, as backup consoles show sizes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** A time as ISO with a zone, or zone-less (as .NET writes a DateTime; read as UTC). Null when unreadable. */
export function parseUtcTime(value: string | null | undefined): number | null {
  const text = value?.trim();
  if (!text) return null;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms : null;
}

/** "2026-12-05 22:00 UTC", or "unknown time". */
export function formatUtcTime(value: string | null | undefined): string {
  const ms = parseUtcTime(value);
  return ms === null ? 'unknown time' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
