import { useState } from 'react';
import type { ActionDescriptor } from '../../../shared/actions.js';
import { useActionRequests, useIntegrationActions } from '../../app/data/hooks/useActionRequests.js';
import { useIntegration } from '../../app/data/hooks/useIntegrations.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import { usePermissions, useScope } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Skeleton } from '../../components/Skeleton.js';
import { DetailHeader } from '../integration-detail/DetailHeader.js';
import { DetailSkeleton } from '../integration-detail/DetailSkeleton.js';
import { DetailTabs } from '../integration-detail/DetailTabs.js';
import '../integration-detail/IntegrationDetail.css';
import { ActionPanel } from './ActionPanel.js';
import { unavailableSentence } from './actionWords.js';
import { RequestList } from './RequestOutcome.js';
import './Actions.css';

function ActionRow({ action, provider, isDev, isAdmin, open, onOpen }: { action: ActionDescriptor; provider: string; isDev: boolean; isAdmin: boolean; open: boolean; onOpen(): void }) {
  const reasonId = `reason-${action.id.replace(/\./g, '-')}`;
  return (
    <li className="action-row" aria-current={open || undefined}>
      <div className="action-row-main">
        <div className="row action-row-title">
          <strong>{action.label}</strong>
          {action.sideEffectful ? <Badge tone="warn">Changes data at {provider}</Badge> : <Badge tone="neutral">Read</Badge>}
        </div>
        <p className="muted">{action.description}</p>
        {!action.available && action.unavailable && (
          <p id={reasonId} className="action-reason">
            {unavailableSentence(action.unavailable, provider, { isDev, isAdmin })}
          </p>
        )}
      </div>
      <Button size="sm" onClick={onOpen} disabled={!action.available} aria-describedby={action.available ? undefined : reasonId} aria-label={`Open ${action.label}`}>
        Open
      </Button>
    </li>
  );
}

/**
 * The Actions tab (issue 17): every action the integration's plugin declares, drawn from the
 * server's listing alone (label, description, read or side-effectful, why it cannot run now, and
 * a form from its input schema), so a new vendor's actions appear here with no code of its own.
 */
export function ActionsScreen({ integrationKey }: { integrationKey: string }) {
  const detail = useIntegration(integrationKey);
  const actions = useIntegrationActions(integrationKey);
  const { user } = useScope();
  const { readOnlyReason } = usePermissions();
  const sync = useSyncStatus();
  const online = sync.data?.connection === 'online';
  const admin = user.role === 'partner_admin' && !user.isDev && !readOnlyReason;
  const requests = useActionRequests(integrationKey, admin);
  const [openId, setOpenId] = useState<string | null>(null);
  // Drafts are the request being reviewed in the panel (or left on Pending changes), not yet sent.
  const sentHere = (requests.data ?? []).filter((r) => r.state !== 'draft');

  if (detail.isPending) return <DetailSkeleton />;
  if (detail.isError) {
    return (
      <EmptyState tone="error" title="Couldn’t load this integration" action={<a href={hrefFor({ name: 'catalog' })}>Back to Integrations</a>}>
        {detail.error.message}
      </EmptyState>
    );
  }
  const provider = detail.data.provider;
  const items = actions.data?.items ?? [];
  const open = items.find((a) => a.id === openId && a.available);

  return (
    <div className="detail">
      <DetailHeader detail={detail.data} />
      <DetailTabs detail={detail.data} current="actions" />
      <section className="card" aria-labelledby="actions-title">
        <div className="card-header">
          <h2 id="actions-title">Actions</h2>
          <span className="muted">What this integration can do at {provider}</span>
        </div>
        <div className="card-body stack">
          {actions.isPending ? (
            <Skeleton height={120} />
          ) : actions.isError ? (
            <p className="muted" role="status">
              {actions.error.code === 'UNAVAILABLE' ? 'The actions are listed by the server and have not been read on this computer yet; this needs a connection.' : actions.error.message}
            </p>
          ) : items.length === 0 ? (
            <p className="muted">{provider} has no actions.</p>
          ) : (
            <>
              {actions.data.fetchedAt && !online && <p className="muted">Offline: the list as last read from the server.</p>}
              <ul className="action-list" aria-label={`${provider} actions`}>
                {items.map((a) => (
                  <ActionRow key={a.id} action={a} provider={provider} isDev={user.isDev} isAdmin={user.role === 'partner_admin'} open={a.id === openId} onOpen={() => setOpenId(a.id)} />
                ))}
              </ul>
            </>
          )}
        </div>
      </section>
      {open && <ActionPanel key={open.id} action={open} provider={provider} online={online} isDev={user.isDev} isAdmin={user.role === 'partner_admin'} onClose={() => setOpenId(null)} />}
      {admin && sentHere.length > 0 && <RequestList requests={sentHere} provider={() => provider} title="Sent from this computer" />}
    </div>
  );
}
