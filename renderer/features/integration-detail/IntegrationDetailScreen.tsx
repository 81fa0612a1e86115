import { useDrafts } from '../../app/data/hooks/useDrafts.js';
import { useIntegration } from '../../app/data/hooks/useIntegrations.js';
import { useSyncStatus } from '../../app/data/hooks/useSync.js';
import type { Draft } from '../../../shared/localApi.js';
import { usePermissions, useScope } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { AuditList } from '../audit/AuditList.js';
import { ConfigurationEditor } from './ConfigurationEditor.js';
import { ConnectionPanel } from './ConnectionPanel.js';
import { CredentialAgePanel } from './CredentialAgePanel.js';
import { ConnectionStateBanner } from './ConnectionStateBanner.js';
import { DeleteIntegration } from './DeleteIntegration.js';
import { DetailHeader } from './DetailHeader.js';
import { DetailTabs } from './DetailTabs.js';
import { DetailSkeleton } from './DetailSkeleton.js';
import './IntegrationDetail.css';
import { ReadOnlyNote } from './ReadOnlyNote.js';
import { SettingsSummary } from './SettingsSummary.js';
import { StatusPanel } from './StatusPanel.js';
import { LastPassingRollback } from './LastPassingRollback.js';
import { VersionHistory } from './VersionHistory.js';
import { MaintenanceBanner } from './MaintenanceBanner.js';
import { MaintenanceCard } from './MaintenanceCard.js';
import { InboundWebhookCard } from './InboundWebhookCard.js';

function draftNotice(draft: Draft): string {
  switch (draft.state) {
    case 'conflict':
      return 'A pending draft of this integration conflicts with a newer change on the server; resolve it before editing again.';
    case 'queued':
    case 'applied':
      return 'A change to this integration is waiting to be sent to the server.';
    case 'rejected':
      return 'The server refused the pending draft of this integration; the form below shows it so you can fix it.';
    case 'draft':
    case 'reviewed':
      if (draft.error) return 'The server refused the pending draft of this integration; the form below shows it so you can fix it.';
      return draft.kind === 'delete' ? 'Deleting this configuration is pending.' : 'The form below shows your pending draft, not yet applied.';
  }
}

/** SPEC-005 IntegrationDetail: configuration, status, audit and delete for one integration. */
export function IntegrationDetailScreen({ integrationKey }: { integrationKey: string }) {
  const detail = useIntegration(integrationKey);
  const { canMutate, canTest, readOnlyReason } = usePermissions();
  const { user, viewingPartnerId } = useScope();
  const sync = useSyncStatus();
  const drafts = useDrafts(canMutate);
  const draft = drafts.data?.find((d) => d.integrationKey === integrationKey);

  // Drafts decide a notice above the form; wait for them too so it never pushes the page down.
  if (detail.isPending || (canMutate && drafts.isPending)) return <DetailSkeleton />;
  if (detail.isError) {
    const notFound = detail.error.code === 'NOT_FOUND';
    return (
      <EmptyState
        tone="error"
        title={notFound ? 'No such integration' : 'Couldn’t load this integration'}
        action={notFound ? <a href={hrefFor({ name: 'catalog' })}>Back to all integrations</a> : <Button onClick={() => void detail.refetch()}>Try again</Button>}
      >
        {detail.error.message}
      </EmptyState>
    );
  }

  const data = detail.data;
  const online = sync.data?.connection === 'online';
  const configured = data.state.status !== 'Not Configured';
  // The server's connection routes answer for the own partner only: none in the support view.
  const ownPartner = viewingPartnerId === user.partnerId;
  const oauth = (data.capabilities ?? []).includes('oauth') && ownPartner;
  // Versions (and maintenance windows) are the server's, for the own partner (no dev route); nothing before a save.
  const versions = ownPartner && configured;
  return (
    <div className="detail">
      <DetailHeader detail={data} />
      <DetailTabs detail={data} current="overview" />
      {oauth && <ConnectionStateBanner detail={data} canMutate={canMutate} online={online} />}
      {versions && <MaintenanceBanner detail={data} />}
      {readOnlyReason && <ReadOnlyNote reason={readOnlyReason} />}
      {draft && (
        <div className="notice notice-info" role="note">
          <p>
            {draftNotice(draft)} <a href={hrefFor({ name: 'changes' })}>Open Pending changes</a>.
          </p>
        </div>
      )}
      <div className="detail-grid">
        <section className="card" aria-labelledby="config-title">
          <div className="card-header">
            <h2 id="config-title">Configuration</h2>
          </div>
          <div className="card-body">
            {canMutate && (!draft || draft.state === 'draft' || draft.state === 'rejected') ? (
              <ConfigurationEditor detail={data} sync={sync.data} draft={draft?.kind === 'delete' ? undefined : draft} />
            ) : (
              <SettingsSummary fields={data.fields} settings={data.settings} />
            )}
          </div>
        </section>
        <div className="detail-side">
          <StatusPanel detail={data} canTest={canTest} online={online} errorAction={versions && canMutate ? <LastPassingRollback detail={data} online={online} /> : undefined} />
          {oauth && <ConnectionPanel detail={data} canMutate={canMutate} online={online} />}
          {versions && <CredentialAgePanel detail={data} canMutate={canMutate} online={online} />}
          {canMutate && configured && <DeleteIntegration detail={data} partnerName={viewingPartnerId === user.partnerId ? user.partnerName : 'this partner'} />}
        </div>
      </div>
      {versions && <VersionHistory detail={data} canMutate={canMutate} online={online} />}
      {versions && <MaintenanceCard detail={data} canMutate={canMutate} online={online} />}
      {/* Inbound webhooks are the server's too, for the own partner's configured integrations (issue 18 §5). */}
      {versions && <InboundWebhookCard detail={data} canMutate={canMutate} online={online} />}
      <section className="card" aria-labelledby="audit-title">
        <div className="card-header">
          <h2 id="audit-title">Audit history</h2>
          <span className="muted">Who changed what; secrets are never shown.</span>
        </div>
        <AuditList integrationKey={data.key} fields={data.fields} />
      </section>
    </div>
  );
}
