import { useState } from 'react';
import type { SyncroTicketSummary } from '../../../shared/actions/syncro.js';
import type { ActionIntent, IntentTicket, PostOutcome } from '../../../shared/localActions.js';
import { useClientActions } from '../../app/data/hooks/useActions.js';
import { useClients } from '../../app/data/hooks/useMappings.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ExternalLink } from '../../components/ExternalLink.js';
import { Skeleton } from '../../components/Skeleton.js';
import { ComposeForm } from './ComposeForm.js';
import { ResultPanel } from './ResultPanel.js';
import { ReviewPanel } from './ReviewPanel.js';
import { TicketPicker } from './TicketPicker.js';
import './TicketUpdate.css';

type Step = { name: 'pick' } | { name: 'compose'; ticket: IntentTicket; draft: ActionIntent | null } | { name: 'review'; intent: ActionIntent } | { name: 'result'; outcome: PostOutcome };

const toTicket = (t: SyncroTicketSummary): IntentTicket => ({ id: t.id, number: t.number, subject: t.subject, status: t.status, url: t.url });

/**
 * The guided ticket update: pick the client's ticket → write the comment (backup summary,
 * report, time) → review → post. The update is stored by the core when it goes to Review (its
 * idempotency key is made then), so Post, a retry or a reconnect all send that one update.
 */
export function TicketUpdateScreen({ clientId }: { clientId: number }) {
  const clients = useClients();
  const actions = useClientActions(clientId);
  const sync = useSyncStatus();
  const { canMutate, readOnlyReason } = usePermissions();
  const [step, setStep] = useState<Step>({ name: 'pick' });
  const online = sync.data?.connection === 'online';

  if (clients.isPending) return <Skeleton height={240} />;
  const client = clients.data?.clients.find((c) => c.id === clientId);
  if (!client) return <EmptyState title="No such client" action={<a href={hrefFor({ name: 'clients' })}>Back to Clients</a>}>This client does not exist, or not for this partner.</EmptyState>;
  const action = (id: string) => actions.data?.items.find((a) => a.id === id);

  return (
    <div className="ticket-update">
      <header className="page-header">
        <div>
          <p className="muted">
            <a href={hrefFor({ name: 'clients' })}>Clients</a> / <a href={hrefFor({ name: 'client', id: clientId })}>{client.name}</a> /
          </p>
          <h1>Update a ticket</h1>
          <p className="muted">Find {client.name}’s ticket at Syncro, add today’s work and the backup summary, review, post.</p>
        </div>
      </header>
      {actions.isError && !online && <p className="muted">Offline: tickets you searched for before are shown from this computer.</p>}
      {step.name === 'pick' && <TicketPicker clientId={clientId} clientName={client.name} find={action('syncro.tickets.find')} onPick={(t) => setStep({ name: 'compose', ticket: toTicket(t), draft: null })} />}
      {step.name === 'compose' &&
        (canMutate ? (
          <ComposeForm
            clientId={clientId}
            clientName={client.name}
            ticket={step.ticket}
            online={online}
            draft={step.draft}
            summaryAction={action('msp360.reports.backup_summary')}
            attachAction={action('syncro.tickets.attach_report')}
            onComposed={(intent) => setStep({ name: 'review', intent })}
            onBack={() => setStep({ name: 'pick' })}
          />
        ) : (
          <section className="card" aria-labelledby="picked-title">
            <div className="card-header">
              <h2 id="picked-title">Ticket #{step.ticket.number ?? step.ticket.id}</h2>
              <span className="muted">{step.ticket.status ?? 'No status'}</span>
            </div>
            <div className="card-body stack">
              <p>{step.ticket.subject ?? 'No subject'}</p>
              {step.ticket.url?.startsWith('https://') && <ExternalLink href={step.ticket.url}>Open it at Syncro</ExternalLink>}
          <div className="notice notice-info" role="note">
            <p>
              {readOnlyReason?.startsWith('You are viewing') ? readOnlyReason : 'Technicians can find a client’s tickets and see them here; posting an update to a ticket takes a partner admin.'}{' '}
              <a href={hrefFor({ name: 'ticketUpdate', clientId })} onClick={() => setStep({ name: 'pick' })}>
                Pick another ticket
              </a>
            </p>
          </div>
            </div>
          </section>
        ))}
      {step.name === 'review' && (
        <ReviewPanel
          intent={step.intent}
          online={online}
          reviewMode={sync.data?.reviewMode === true}
          onEdit={() => setStep({ name: 'compose', ticket: step.intent.ticket, draft: step.intent })}
          onPosted={(outcome) => setStep({ name: 'result', outcome })}
        />
      )}
      {step.name === 'result' && <ResultPanel first={step.outcome.intent} review={step.outcome.review} />}
    </div>
  );
}
