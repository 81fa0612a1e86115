import { useAutomationMutations, useAutomationRun } from '../../app/data/hooks/useAutomations.js';
import { hrefFor, navigate } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { useAutomationAccess } from './access.js';
import { duration, OutcomeBadge, ReadMark } from './parts.js';
import './Automations.css';

const json = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v, null, 2));

/**
 * One run: its trigger data, then each step's rendered input, output, duration, attempts and
 * outcome (as the server redacted them), with a link to the integration's Activity tab where
 * its vendor calls are. A failed run can be run again from the failed step (partner admins).
 */
export function RunScreen({ runId }: { runId: number }) {
  const run = useAutomationRun(runId);
  const access = useAutomationAccess(run.data?.fromCache);
  const { rerun } = useAutomationMutations();
  const toast = useToast();
  if (run.isPending) return <Skeleton height={320} />;
  if (run.isError) {
    return (
      <EmptyState tone="error" title="This run could not be read" action={<a href={hrefFor({ name: 'automations' })}>Back to Automations</a>}>
        {run.error.message}
      </EmptyState>
    );
  }
  const r = run.data.run;
  const canRerun = ['failed', 'dead'].includes(r.status);
  return (
    <div className="automations stack">
      <p>
        <a href={hrefFor({ name: 'automation', id: r.automationId })}>← {r.automationName}</a>
      </p>
      <header className="page-header">
        <div>
          <h1>
            Run {r.id} <OutcomeBadge status={r.status} />
          </h1>
          <p className="muted">
            {r.automationName} (version {r.automationVersion}) · trigger {r.triggerKind} · started <RelativeTime iso={r.startedAt ?? r.createdAt} />
            {r.rerunOf !== null && (
              <>
                {' '}
                · re-run of <a href={hrefFor({ name: 'automationRun', runId: r.rerunOf })}>run {r.rerunOf}</a>
              </>
            )}
          </p>
        </div>
        {canRerun && access.canRun && (
          <Button
            variant="primary"
            busy={rerun.isPending}
            onClick={() =>
              rerun.mutate(r.id, {
                onSuccess: ({ runId: next }) => navigate({ name: 'automationRun', runId: next }),
                onError: (e) => toast({ tone: 'error', title: 'Not re-run', body: e.message }),
              })
            }
          >
            Re-run from failed step
          </Button>
        )}
      </header>
      <ReadMark view={run.data} />
      {canRerun && access.reason && <p className="muted">{access.reason}</p>}
      {r.error && <p className="notice notice-danger">{r.error.message}</p>}
      <section className="card" aria-labelledby="trigger-data-title">
        <div className="card-header">
          <h2 id="trigger-data-title">Trigger data</h2>
        </div>
        <div className="card-body">
          <pre className="automation-json" tabIndex={0} aria-label="Trigger data">{json(r.triggerData)}</pre>
        </div>
      </section>
      <section aria-labelledby="run-steps-title" className="stack">
        <h2 id="run-steps-title">Steps</h2>
        {r.steps.length === 0 && <p className="muted">No step has started yet.</p>}
        <ol className="automation-steps">
          {r.steps.map((s) => {
            const key = s.actionId.split('.')[0] ?? '';
            return (
              <li key={s.index} className="card" aria-label={`Step ${s.name}`}>
                <div className="card-header row automation-step-header">
                  <h3>
                    {s.index + 1}. <span className="mono">{s.name}</span> <span className="muted">{s.actionId}</span>
                  </h3>
                  <OutcomeBadge status={s.status} />
                </div>
                <div className="card-body stack">
                  <dl className="kv kv-compact">
                    <div className="kv-row">
                      <dt>Duration</dt>
                      <dd>{duration(s.durationMs)}</dd>
                    </div>
                    <div className="kv-row">
                      <dt>Attempts</dt>
                      <dd>{s.attempts}</dd>
                    </div>
                    {s.error && (
                      <div className="kv-row">
                        <dt>Error</dt>
                        <dd>{s.error.message}</dd>
                      </div>
                    )}
                    <div className="kv-row">
                      <dt>Vendor calls</dt>
                      <dd>
                        <a href={hrefFor({ name: 'activity', key })}>Activity of {key}</a>
                        {s.actionRunId !== null && <span className="muted"> (action run {s.actionRunId})</span>}
                      </dd>
                    </div>
                  </dl>
                  <div className="automation-io">
                    <div>
                      <h4>Input</h4>
                      <pre className="automation-json" tabIndex={0} aria-label={`Input of ${s.name}`}>{json(s.input)}</pre>
                    </div>
                    <div>
                      <h4>Output</h4>
                      <pre className="automation-json" tabIndex={0} aria-label={`Output of ${s.name}`}>{json(s.output)}</pre>
                    </div>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}
