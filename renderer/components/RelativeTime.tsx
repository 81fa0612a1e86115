const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "5 minutes ago" / "just now"; days and older as a date. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  if (Math.abs(diff) < 45_000) return 'just now';
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms || unit === 'minute') {
      if (unit === 'day' && Math.abs(diff) > 7 * ms) return absolute.format(new Date(iso));
      return relative.format(Math.round(diff / ms), unit);
    }
  }
  return absolute.format(new Date(iso));
}

export function formatAbsolute(iso: string): string {
  return absolute.format(new Date(iso));
}

/** A <time> element: relative text, exact date and time on hover and for assistive tech. */
export function RelativeTime({ iso, fallback = 'Never' }: { iso: string | null; fallback?: string }) {
  if (!iso) return <span>{fallback}</span>;
  return (
    <time dateTime={iso} title={formatAbsolute(iso)}>
      {formatRelative(iso)}
    </time>
  );
}
