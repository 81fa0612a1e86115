import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useConnectionActions, useSignIn } from '../../app/data/hooks/useConnection.js';
import { Button, type ButtonVariant } from '../../components/Button.js';
import { openInBrowser } from '../../components/ExternalLink.js';
import { useToast } from '../../components/Toast.js';

/** Why Connect cannot be pressed, or null. */
export function connectBlocked({ canMutate, online }: { canMutate: boolean; online: boolean }): string | null {
  if (!canMutate) return 'Only partner admins can connect.';
  if (!online) return 'Connecting needs a connection; you’re offline.';
  return null;
}

/**
 * "Connect": the core opens its loopback listener and gets the authorize URL from the server;
 * the page opens in the system browser (Electron) or a new tab (browser mode). The panel then
 * follows the sign-in the core reports.
 */
export function ConnectButton({ detail, canMutate, online, variant = 'primary' }: { detail: IntegrationDetail; canMutate: boolean; online: boolean; variant?: ButtonVariant }) {
  const { connect } = useConnectionActions(detail.key);
  const signIn = useSignIn(detail.key, canMutate);
  const toast = useToast();
  const blocked = connectBlocked({ canMutate, online });
  const waiting = signIn.data?.phase === 'waiting' || signIn.data?.phase === 'finishing';
  const start = () =>
    connect.mutate(undefined, {
      onSuccess: (view) => {
        if (view.authorizeUrl) void openInBrowser(view.authorizeUrl);
      },
      onError: (e) => toast({ tone: 'error', title: `Couldn’t start connecting ${detail.name}`, body: e.message }),
    });
  return (
    <div className="row">
      <Button variant={variant} onClick={start} busy={connect.isPending} disabled={blocked !== null || waiting}>
        Connect
      </Button>
      {blocked && <span className="muted">{blocked}</span>}
    </div>
  );
}
