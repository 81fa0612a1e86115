import { useState } from 'react';
import { runStatuses, type RunStatus } from '../../../shared/automations.js';
import { useAutomationList, useAutomationRuns } from '../../app/data/hooks/useAutomations.js';
import { hrefFor } from '../../app/router.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { OutcomeBadge, ReadMark } from './parts.js';

/**
 * Runs, newest first, filtered by outcome (and by automation when not on one automation's page).
 * Offline: the copy last read for the same filters, or a plain "not read here yet".
 */
export function RunHistory({ automationId }: { automationId?: number }) {
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [picked, setPicked] = useState<number | ''>('');
  const forAutomation = automationId ?? (picked === '' ? undefined : picked);
  const runs = useAutomationRuns({ ...(forAutomation ? { automationId: forAutomation } : {}), ...(status ? { status } : {}) });
  const list = useAutomationList();
  return (
    <section className="card" aria-labelledby="runs-title">
      <div className="card-header row automations-runs-header">
        <h2 id="runs-title">Run history</h2>
        <div className="row">
          {automationId === undefined && (
            <label className="row">
              <span className="muted">Automation</span>
              <select className="input" value={picked} onChange={(e) => setPicked(e.target.value ? Number(e.target.value) : '')}>
                <option value="">All</option>
                {list.data?.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="row">
            <span className="muted">Outcome</span>
            <select className="input" value={status} onChange={(e) => setStatus(e.target.value as RunStatus | '')}>
              <option value="">All</option>
              {runStatuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <div className="card-body stack">
        {runs.isPending ? (
          <Skeleton height={80} />
        ) : runs.isError ? (
          <EmptyState tone="error" title="Runs could not be read">
            {runs.error.message}
          </EmptyState>
        ) : (
          <>
            <ReadMark view={runs.data} />
            {runs.data.items.length === 0 ? (
              <p className="muted">No runs{status ? ` with outcome ${status}` : ''} yet.</p>
            ) : (
              <table className="automations-table" aria-label="Runs">
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    {automationId === undefined && <th scope="col">Automation</th>}
                    <th scope="col">Trigger</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Started</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.data.items.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <a className="automation-run-link" href={hrefFor({ name: 'automationRun', runId: r.id })}>Run {r.id}</a>
                        {r.rerunOf !== null && <span className="muted"> (re-run of {r.rerunOf})</span>}
                      </td>
                      {automationId === undefined && <td>{r.automationName}</td>}
                      <td>{r.triggerKind}</td>
                      <td>
                        <OutcomeBadge status={r.status} />
                        {r.error && <div className="muted automations-error-line">{r.error.message}</div>}
                      </td>
                      <td>
                        <RelativeTime iso={r.startedAt ?? r.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
    </section>
  );
}
