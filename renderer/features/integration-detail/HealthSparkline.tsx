import type { Uptime } from '../../../shared/integrations/health.js';
import { formatAbsolute } from '../../components/RelativeTime.js';
import { healthLabel } from '../../components/StatusBadge.js';

/**
 * The uptime bar: the server's segments laid out in time from where the data starts to now,
 * oldest left: green ok, amber degraded, red failing, grey where nobody checked. Drawn from the
 * same segments the number comes from, so the green share is the uptime. Announced as one image.
 */
export function HealthSparkline({ uptime, label }: { uptime: Uptime; label: string }) {
  const width = 240;
  const height = 24;
  const start = Date.parse(uptime.coveredFrom ?? uptime.until);
  const total = Date.parse(uptime.until) - start;
  // A lone check made just now covers no time yet: show its health across the bar.
  const segments = total > 0 ? uptime.segments : uptime.segments.slice(-1).map((s) => ({ ...s, to: new Date(start + 1).toISOString() }));
  const span = total > 0 ? total : 1;
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={label} preserveAspectRatio="none">
      {segments.map((s) => {
        const x = ((Date.parse(s.from) - start) / span) * width;
        const w = Math.max(0.5, ((Date.parse(s.to) - Date.parse(s.from)) / span) * width);
        return (
          <rect key={s.from} x={x} y={0} width={w} height={height} className={`spark-${s.health}`} data-health={s.health}>
            <title>{`${formatAbsolute(s.from)} – ${formatAbsolute(s.to)}: ${s.health === 'unknown' ? 'not checked' : healthLabel(s.health)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
