import { useId, useState } from 'react';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useConnection, useConnectionActions, useSignIn } from '../../app/data/hooks/useConnection.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { formatAbsolute, RelativeTime } from '../../components/RelativeTime.js';
import { useToast } from '../../components/Toast.js';
import { ConnectButton } from './ConnectButton.js';
import { grantText, scopeList, stateLabel } from './connectionWords.js';
import { SignInProgress } from './SignInProgress.js';

/**
 * The OAuth2 connection of an integration whose catalog entry has the `oauth` capability: the
 * grant, what it asks the vendor for (before connecting), what the vendor granted and until
 * when (after), Connect and Disconnect for partner admins. Tokens never reach the desktop.
 */
export function ConnectionPanel({ detail, canMutate, online }: { detail: IntegrationDetail; canMutate: boolean; online: boolean }) {
  // The server knows the grant only from saved settings (client id, secret, endpoints).
  const configured = detail.state.status !== 'Not Configured';
  const headingId = useId();
  const vendor = detail.provider;
  const connection = useConnection(detail.key, configured, detail.state.lastHealthCheck);
  const signIn = useSignIn(detail.key, canMutate);
  const { disconnect } = useConnectionActions(detail.key);
  const [confirming, setConfirming] = useState(false);
  const toast = useToast();

  const view = connection.data?.connection;
  const body = () => {
    if (!configured) return <p className="muted">Save the settings first; then connect here.</p>;
    if (connection.isPending) return <p className="muted">Reading the connection…</p>;
    if (connection.isError || !view) return <p className="muted">{connection.error?.message ?? 'The connection could not be read.'}</p>;
    const code = view.grant === 'oauth2AuthorizationCode';
    const connected = view.state !== 'not_connected';
    return (
      <>
        <dl className="kv kv-compact">
          <div className="kv-row">
            <dt>Grant</dt>
            <dd>{grantText(view.grant, vendor)}</dd>
          </div>
          {connected && (
            <>
              <div className="kv-row">
                <dt>Scopes granted</dt>
                <dd>{scopeList(view.scopesGranted)}</dd>
              </div>
              <div className="kv-row">
                <dt>Connected at</dt>
                <dd>{view.connectedAt ? formatAbsolute(view.connectedAt) : 'Never'}</dd>
              </div>
              <div className="kv-row">
                <dt>Token expires</dt>
                <dd>{view.expiresAt ? formatAbsolute(view.expiresAt) : 'No token now'}</dd>
              </div>
            </>
          )}
        </dl>
        {view.problem && (
          <div className="notice notice-warn">
            <p>
              <strong>Can’t connect yet: </strong>
              {view.problem}
            </p>
          </div>
        )}
        {!connected && !view.problem && (
          <p>
            Integration Center will ask {vendor} for: {scopeList(view.scopesRequested)}
          </p>
        )}
        {view.lastError && view.state !== 'connected' && (
          <p className="muted">
            {vendor} said: {view.lastError}
          </p>
        )}
        {connection.data?.source === 'cache' && (
          <p className="muted">
            As read <RelativeTime iso={connection.data.fetchedAt} />; the server can’t be reached now.
          </p>
        )}
        {signIn.data && <SignInProgress signIn={signIn.data} />}
        {code && !view.problem && (
          <div className="row">
            <ConnectButton detail={detail} canMutate={canMutate} online={online} variant={view.state === 'connected' ? 'secondary' : 'primary'} />
            {canMutate && connected && (
              <Button variant="ghost" onClick={() => setConfirming(true)} disabled={!online}>
                Disconnect…
              </Button>
            )}
          </div>
        )}
      </>
    );
  };

  const confirm = () =>
    disconnect.mutate(undefined, {
      onSuccess: () => {
        setConfirming(false);
        toast({ tone: 'success', title: `Disconnected from ${vendor}` });
      },
      onError: (e) => toast({ tone: 'error', title: 'Couldn’t disconnect', body: e.message }),
    });

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>Connection</h2>
        {view && <Badge tone={stateLabel[view.state].tone}>{stateLabel[view.state].label}</Badge>}
      </div>
      <div className="card-body stack">{body()}</div>
      <ConfirmDialog open={confirming} title={`Disconnect from ${vendor}?`} confirmLabel="Disconnect" tone="danger" busy={disconnect.isPending} onConfirm={confirm} onCancel={() => setConfirming(false)}>
        <p>The server forgets its {vendor} tokens. {detail.name} actions and checks stop working until someone connects again.</p>
        <p>To revoke access completely, remove Integration Center’s access at {vendor} too.</p>
      </ConfirmDialog>
    </section>
  );
}
