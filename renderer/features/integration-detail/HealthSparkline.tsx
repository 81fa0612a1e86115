import type { HealthPoint as HealthSample } from '../../../shared/integrations/health.js';
import { formatAbsolute } from '../../components/RelativeTime.js';
import { healthLabel } from '../../components/StatusBadge.js';

/** How far back the samples go, in words ("5 hours", "3 days"). */
export function spanText(samples: readonly HealthSample[]): string {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return '';
  const hours = Math.max(1, Math.round((new Date(last.checkedAt).getTime() - new Date(first.checkedAt).getTime()) / 3_600_000));
  return hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`;
}

/**
 * One bar per health check, oldest left: tall green for ok, amber for degraded, short red for
 * error. Announced as one image with the counts, not bar by bar.
 */
export function HealthSparkline({ samples }: { samples: readonly HealthSample[] }) {
  const width = 240;
  const height = 32;
  const gap = 1;
  const bar = Math.max(1, (width - gap * (samples.length - 1)) / samples.length);
  const counts = { ok: 0, degraded: 0, error: 0, unknown: 0 };
  for (const s of samples) counts[s.health]++;
  const label = `Health over the last ${spanText(samples)}: ${counts.ok} healthy, ${counts.degraded} degraded, ${counts.error} failing checks`;
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img" aria-label={label} preserveAspectRatio="none">
      {samples.map((s, i) => {
        const h = s.health === 'ok' ? height : s.health === 'degraded' ? height * 0.65 : s.health === 'error' ? height * 0.35 : height * 0.2;
        return (
          <rect key={s.checkedAt} x={i * (bar + gap)} y={height - h} width={bar} height={h} rx={1} className={`spark-${s.health}`}>
            <title>{`${formatAbsolute(s.checkedAt)}: ${healthLabel(s.health)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
