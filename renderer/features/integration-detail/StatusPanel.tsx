import { useId, useState, type ReactNode } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useTestConnection } from '../../app/data/hooks/useIntegrationMutations.js';
import type { TestConnectionResult as ConnectionTestResult } from '../../../shared/localApi.js';
import { Button } from '../../components/Button.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { HealthBadge, StatusBadge } from '../../components/StatusBadge.js';
import { useToast } from '../../components/Toast.js';
import { TestResult } from './TestResult.js';
import { UptimeHistory } from './UptimeHistory.js';

/**
 * Status, health, last check, last OK, message, uptime and history; "Test connection" for the own
 * partner's users. `errorAction`: what to offer under the message of a failing integration.
 */
export function StatusPanel({ detail, canTest, online, errorAction }: { detail: IntegrationDetail; canTest: boolean; online: boolean; errorAction?: ReactNode }) {
  const headingId = useId();
  const { state } = detail;
  const configured = state.status !== 'Not Configured';
  const test = useTestConnection(detail.key);
  const toast = useToast();
  const [result, setResult] = useState<ConnectionTestResult | null>(null);

  const runTest = () =>
    test.mutate({}, {
      onSuccess: (r) => {
        setResult(r);
        toast(r.health === 'error' ? { tone: 'error', title: `${detail.name}: connection failed`, body: r.message ?? undefined } : { tone: 'success', title: `${detail.name}: connection works` });
      },
      onError: (e) => toast({ tone: 'error', title: 'Couldn’t run the test', body: e.message }),
    });

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>Status</h2>
        <StatusBadge status={state.status} health={state.health} />
      </div>
      <div className="card-body stack">
        {!configured ? (
          <p className="muted">Not configured yet. Fill in the settings to connect {detail.provider}; its health is checked once saved.</p>
        ) : (
          <>
            <dl className="kv kv-compact">
              <div className="kv-row">
                <dt>Health</dt>
                <dd>
                  <HealthBadge health={state.health} checkedBefore={state.lastHealthCheck !== null} />
                </dd>
              </div>
              <div className="kv-row">
                <dt>Last check</dt>
                <dd>
                  <RelativeTime iso={state.lastHealthCheck} fallback="Never" />
                </dd>
              </div>
              <div className="kv-row">
                <dt>Last OK</dt>
                <dd>
                  <RelativeTime iso={state.lastOkAt} fallback="Never" />
                </dd>
              </div>
              {state.consecutiveFailures > 0 && (
                <div className="kv-row">
                  <dt>Failed checks in a row</dt>
                  <dd>{state.consecutiveFailures}</dd>
                </div>
              )}
            </dl>
            {state.errorMessage && (
              // A way out of an Error (e.g. "Roll back to the last passing version") goes below the message, not beside it.
              <div className={`notice ${state.health === 'degraded' ? 'notice-warn' : 'notice-danger'}${state.status === 'Error' && errorAction ? ' notice-column' : ''}`}>
                <p>
                  <strong>Message: </strong>
                  {state.errorMessage}
                </p>
                {state.status === 'Error' && errorAction}
              </div>
            )}
            <UptimeHistory integrationKey={detail.key} />
          </>
        )}
        {canTest && configured && (
          <div className="stack status-test">
            <div className="row">
              <Button onClick={runTest} busy={test.isPending} disabled={!online}>
                Test connection
              </Button>
              {!online && <span className="muted">Needs the server; you’re offline.</span>}
            </div>
            {result && <TestResult subject="Saved configuration" result={result} />}
          </div>
        )}
      </div>
    </section>
  );
}
