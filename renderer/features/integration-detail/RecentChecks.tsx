import { useState } from 'react';
import { checkResults, type CheckResult, type HealthCheckEntry } from '../../../shared/integrations/healthChecks.js';
import { useHealthChecks } from '../../app/data/hooks/useAlerts.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { healthLabel } from '../../components/StatusBadge.js';

const tone: Record<CheckResult, BadgeTone> = { ok: 'ok', degraded: 'warn', error: 'danger' };

/** Milliseconds as people read them: 840 ms, 2.4 s. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'not measured';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function CheckRow({ c }: { c: HealthCheckEntry }) {
  return (
    <tr>
      <td>
        <RelativeTime iso={c.checkedAt} />
      </td>
      <td>
        <Badge tone={tone[c.result]}>{healthLabel(c.result)}</Badge>
        {c.source === 'tested' && <span className="muted"> (tested)</span>}
      </td>
      <td>{formatDuration(c.durationMs)}</td>
      <td className="checks-message">{c.message ?? '—'}</td>
    </tr>
  );
}

/**
 * The checks behind the uptime bar, newest first, from the server (online only: the bar itself
 * is cached, the list is not), with a filter on the result.
 */
export function RecentChecks({ integrationKey, id }: { integrationKey: string; id: string }) {
  const [result, setResult] = useState<CheckResult | undefined>(undefined);
  const checks = useHealthChecks(integrationKey, result, true);
  return (
    <section id={id} className="recent-checks stack" aria-label="Recent checks">
      <div className="row recent-checks-head">
        <h3>Recent checks</h3>
        <label className="row recent-checks-filter">
          <span>Result</span>
          <select className="input" value={result ?? ''} onChange={(e) => setResult((e.target.value || undefined) as CheckResult | undefined)}>
            <option value="">All results</option>
            {checkResults.map((r) => (
              <option key={r} value={r}>
                {healthLabel(r)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {checks.isPending ? (
        <Skeleton height={80} />
      ) : checks.isError ? (
        <p className="muted">
          {checks.error.code === 'UNAVAILABLE' ? 'The list of checks comes from the server and needs a connection.' : checks.error.message}
        </p>
      ) : checks.data.items.length === 0 ? (
        <p className="muted">{result ? `No ${healthLabel(result).toLowerCase()} checks recently.` : 'No checks yet.'}</p>
      ) : (
        <div className="checks-scroll" role="region" aria-label="Checks" tabIndex={0}>
          <table className="checks-table" data-testid="checks">
            <caption className="visually-hidden">Recent health checks, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Result</th>
                <th scope="col">Duration</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {checks.data.items.map((c) => (
                <CheckRow key={c.id} c={c} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
