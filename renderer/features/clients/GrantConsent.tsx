import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ConsentTarget } from '../../../shared/localMicrosoft365.js';
import { clientTenantsKey, useConsent, useConsentActions } from '../../app/data/hooks/useMicrosoft365.js';
import { Button } from '../../components/Button.js';
import { ExternalLink, openInBrowser } from '../../components/ExternalLink.js';
import { useToast } from '../../components/Toast.js';

/** Why Grant consent cannot be pressed, or null. */
export function grantBlocked({ canMutate, online }: { canMutate: boolean; online: boolean }): string | null {
  if (!canMutate) return 'A partner admin can grant consent.';
  if (!online) return 'Granting consent needs a connection; you’re offline.';
  return null;
}

/**
 * "Grant consent" for one tenant: the core opens its loopback listener and gets the tenant's
 * admin-consent page from the server; the page opens in the system browser (Electron) or a new tab
 * (browser mode). The card then follows the consent the core reports and, once the server has
 * re-checked the tenant, reads the client's tenants again.
 */
export function GrantConsent({ target, tenantName, clientId, canMutate, online }: { target: ConsentTarget; tenantName: string; clientId: number; canMutate: boolean; online: boolean }) {
  const consent = useConsent(target, canMutate);
  const { grant, cancel } = useConsentActions(target);
  const client = useQueryClient();
  const toast = useToast();
  const blocked = grantBlocked({ canMutate, online });
  const view = consent.data ?? null;
  const busy = view?.phase === 'waiting' || view?.phase === 'checking';

  // The re-check ended (either way): what the tenant now says is the client's reading, read again.
  const ended = view?.phase === 'consented' || view?.phase === 'failed' ? `${view.phase}:${view.expiresAt}` : null;
  const seen = useRef(ended);
  useEffect(() => {
    if (ended && ended !== seen.current) void client.invalidateQueries({ queryKey: clientTenantsKey(clientId) });
    seen.current = ended;
  }, [ended, client, clientId]);

  const start = () =>
    grant.mutate(undefined, {
      onSuccess: (started) => {
        if (started.consentUrl) void openInBrowser(started.consentUrl);
      },
      onError: (e) => toast({ tone: 'error', title: `Couldn’t start the consent for ${tenantName}`, body: e.message }),
    });

  return (
    <div className="stack tenant-consent-action">
      <div className="row">
        <Button size="sm" variant="primary" onClick={start} busy={grant.isPending} disabled={blocked !== null || busy} aria-label={`Grant consent in ${tenantName}`}>
          Grant consent
        </Button>
        {blocked && <span className="muted">{blocked}</span>}
      </div>
      {view?.phase === 'waiting' && (
        <div className="notice notice-info" role="status">
          <div className="stack">
            <p>Waiting for an administrator of {tenantName} to consent in the browser…</p>
            {view.consentUrl && (
              <p>
                No tab opened? <ExternalLink href={view.consentUrl}>Open the consent page</ExternalLink>
              </p>
            )}
          </div>
          <Button size="sm" onClick={() => cancel.mutate()} busy={cancel.isPending}>
            Cancel
          </Button>
        </div>
      )}
      {view?.phase === 'checking' && (
        <div className="notice notice-info" role="status">
          <p>Consent given; the server is asking {tenantName} for a token…</p>
        </div>
      )}
      {view?.phase === 'failed' && (
        <div className="notice notice-danger" role="alert">
          <p>
            <strong>No consent: </strong>
            {view.message}
          </p>
        </div>
      )}
      {view?.phase === 'cancelled' && <p className="muted">Consent cancelled.</p>}
    </div>
  );
}
