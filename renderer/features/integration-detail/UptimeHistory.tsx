import { useId, useState } from 'react';
import { healthRanges, type HealthRange, type Uptime } from '../../../shared/integrations/health.js';
import { useHealthHistory } from '../../app/data/hooks/useIntegrations.js';
import { useReadScope } from '../../app/data/scope.js';
import { plural } from '../../components/plural.js';
import { formatRelative } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { HealthSparkline } from './HealthSparkline.js';
import { RecentChecks } from './RecentChecks.js';

const rangeNames: Record<HealthRange, { short: string; long: string }> = {
  '24h': { short: '24 h', long: 'the last 24 hours' },
  '7d': { short: '7 d', long: 'the last 7 days' },
  '30d': { short: '30 d', long: 'the last 30 days' },
};

/** What the number covers: the whole range, or (not yet full) since the first check. */
export function uptimeSpanText(uptime: Uptime, now = Date.now()): string {
  if (uptime.full || !uptime.coveredFrom) return `over ${rangeNames[uptime.range].long}`;
  return `since first check (${formatRelative(uptime.coveredFrom, now)})`;
}

/**
 * Uptime over a chosen range (24 h, 7 d, 30 d): the server's number and its bar, from the same
 * segments, and how many checks. The renderer computes nothing here; the rule is the server's.
 */
export function UptimeHistory({ integrationKey }: { integrationKey: string }) {
  const [range, setRange] = useState<HealthRange>('24h');
  const [showChecks, setShowChecks] = useState(false);
  const checksId = useId();
  const history = useHealthHistory(integrationKey, range);
  const otherPartner = useReadScope() !== undefined;
  if (history.isPending) return <Skeleton height={58} />;
  const uptime = history.data?.uptime ?? null;
  const checks = history.data?.points.length ?? 0;
  const choice = (
    <div className="row uptime-ranges" role="group" aria-label="Uptime range">
      {healthRanges.map((r) => (
        <button key={r} type="button" className="uptime-range" aria-pressed={r === range} onClick={() => setRange(r)}>
          {rangeNames[r].short}
        </button>
      ))}
    </div>
  );
  if (!uptime || uptime.percent === null) {
    return (
      <div className="status-history">
        {!otherPartner && choice}
        <p className="muted status-history-empty">
          {otherPartner
            ? 'Uptime and health history are shown to the partner’s own users; the fleet view has every partner’s status.'
            : uptime
              ? `No checks in ${rangeNames[range].long}.`
              : 'Health history appears here after the first checks.'}
        </p>
      </div>
    );
  }
  const span = uptimeSpanText(uptime);
  return (
    <div className="status-history">
      <div className="row status-history-head">
        <span className="status-label">Uptime</span>
        <strong data-testid="uptime-percent">{`${uptime.percent}%`}</strong>
        <span className="muted">
          {span} · {plural(checks, 'check')}
        </span>
        {choice}
      </div>
      {/* The bar opens the checks it is drawn from (a disclosure: the list appears below it). */}
      <button type="button" className="sparkline-toggle" aria-expanded={showChecks} aria-controls={showChecks ? checksId : undefined} onClick={() => setShowChecks((v) => !v)}>
        <HealthSparkline uptime={uptime} label={`Uptime ${uptime.percent}% ${span}: green working, red failing, grey not checked`} />
        <span className="sparkline-toggle-text">{showChecks ? 'Hide recent checks' : 'Show recent checks'}</span>
      </button>
      {showChecks && <RecentChecks integrationKey={integrationKey} id={checksId} />}
    </div>
  );
}
