import { useState } from 'react';
import type { WebhookTestOutput } from '../../../shared/integrations/health.js';
import { useAlertDeliveries, useAlertWebhook, useRotateAlertSecret, useSendTestAlert } from '../../app/data/hooks/useAlerts.js';
import { usePermissions } from '../../app/data/scope.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { DeliveriesTable } from './DeliveriesTable.js';
import { SecretReveal } from './SecretReveal.js';
import { WebhookForm } from './WebhookForm.js';
import './Alerts.css';

function testSummary(result: WebhookTestOutput): string {
  if (result.delivered) return `Test delivered: your receiver answered HTTP ${result.status ?? 200}.`;
  return `Test not delivered: ${result.error ?? 'no answer'}.`;
}

/**
 * The partner's alert webhook (partner admins): where alerts go, the signing secret shown once
 * when the server makes one, a test delivery and the recent deliveries. Everything here is read
 * from and sent to the server; nothing is cached, so offline it says it needs the server.
 */
export function AlertsScreen() {
  const { canMutate, readOnlyReason } = usePermissions();
  const webhook = useAlertWebhook();
  const deliveries = useAlertDeliveries(Boolean(webhook.data?.webhook));
  const rotate = useRotateAlertSecret();
  const test = useSendTestAlert();
  const toast = useToast();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<WebhookTestOutput | null>(null);

  // Technicians never get here from the navigation; a typed address says why.
  if (!canMutate) return <EmptyState title="Alerts are for partner admins">{readOnlyReason ?? 'Only partner admins manage the alert webhook.'}</EmptyState>;
  if (webhook.isPending) return <Skeleton height={240} />;
  if (webhook.isError) {
    return (
      <div className="alerts stack">
        <h1>Alerts</h1>
        <EmptyState tone="error" title="Alerts need the server" action={<Button onClick={() => void webhook.refetch()}>Try again</Button>}>
          {webhook.error.code === 'UNAVAILABLE'
            ? 'The alert webhook is kept on the server and is not available offline. Reconnect to set it up or see deliveries.'
            : webhook.error.message}
        </EmptyState>
      </div>
    );
  }
  const current = webhook.data.webhook;

  return (
    <div className="alerts stack">
      <header className="page-header">
        <div>
          <h1>Alerts</h1>
          <p className="muted">Get a signed HTTP request when an integration fails, degrades or recovers.</p>
        </div>
      </header>

      {revealed && (
        <SecretReveal
          secret={revealed}
          onDone={() => {
            setRevealed(null);
            rotate.reset();
          }}
        />
      )}

      <section className="card" aria-labelledby="webhook-title">
        <div className="card-header">
          <h2 id="webhook-title">Webhook</h2>
        </div>
        <div className="card-body stack">
          {/* Keyed by version: a save or rotation elsewhere starts the form from the server's values. */}
          <WebhookForm
            key={current?.version ?? 0}
            webhook={current}
            onSaved={(saved) => {
              if (saved.revealedSecret) setRevealed(saved.revealedSecret);
              toast({ tone: 'success', title: current ? 'Webhook saved' : 'Webhook created' });
            }}
          />
          {current && (
            <div className="stack alerts-secret">
              <p>
                Signing secret: <span className="mono">••••{current.secret.last4}</span>{' '}
                <span className="muted">
                  (last changed <RelativeTime iso={current.updatedAt} />)
                </span>
              </p>
              <div className="row">
                <Button
                  busy={rotate.isPending}
                  onClick={() =>
                    rotate.mutate(undefined, {
                      onSuccess: (saved) => setRevealed(saved.revealedSecret),
                      onError: (error) => toast({ tone: 'error', title: 'Couldn’t rotate the secret', body: error.message }),
                    })
                  }
                >
                  Rotate secret
                </Button>
                <Button
                  busy={test.isPending}
                  onClick={() =>
                    test.mutate(undefined, {
                      onSuccess: setTestResult,
                      onError: (error) => toast({ tone: 'error', title: 'Couldn’t send a test delivery', body: error.message }),
                    })
                  }
                >
                  Send test delivery
                </Button>
              </div>
              <p role="status" className={testResult ? (testResult.delivered ? 'notice notice-info' : 'notice notice-danger') : 'visually-hidden'} data-testid="test-result">
                {testResult ? testSummary(testResult) : ''}
              </p>
            </div>
          )}
        </div>
      </section>

      {current && (
        <section className="card" aria-labelledby="deliveries-title">
          <div className="card-header">
            <h2 id="deliveries-title">Recent deliveries</h2>
          </div>
          <div className="card-body">
            {deliveries.isPending ? (
              <Skeleton height={120} />
            ) : deliveries.isError ? (
              <p className="muted">{deliveries.error.message}</p>
            ) : (
              <DeliveriesTable items={deliveries.data.items} />
            )}
          </div>
        </section>
      )}
    </div>
  );
}
