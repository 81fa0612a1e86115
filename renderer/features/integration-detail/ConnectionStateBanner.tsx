import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useConnection } from '../../app/data/hooks/useConnection.js';
import { ConnectButton } from './ConnectButton.js';

/**
 * At the top of the detail screen when the vendor stopped renewing access: what happened and
 * Connect. The rest of the screen stays as it is (readable, offline too).
 */
export function ConnectionStateBanner({ detail, canMutate, online }: { detail: IntegrationDetail; canMutate: boolean; online: boolean }) {
  const connection = useConnection(detail.key, detail.state.status !== 'Not Configured', detail.state.lastHealthCheck);
  const view = connection.data?.connection;
  if (!view || (view.state !== 'reconnect_needed' && view.state !== 'disconnected')) return null;
  const vendor = detail.provider;
  const text = view.state === 'reconnect_needed' ? `${vendor} refused to renew access: reconnect needed` : `Disconnected from ${vendor}: its actions are unavailable until you connect again`;
  return (
    <div className={`notice ${view.state === 'disconnected' ? 'notice-danger' : 'notice-warn'} connection-state-banner`} role="alert">
      <div className="stack">
        <p>
          <strong>{text}</strong>
        </p>
        {view.lastError && <p>{view.lastError}</p>}
      </div>
      {view.grant === 'oauth2AuthorizationCode' && <ConnectButton detail={detail} canMutate={canMutate} online={online} />}
    </div>
  );
}
