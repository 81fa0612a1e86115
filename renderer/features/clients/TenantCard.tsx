import type { ClientTenant } from '../../../shared/localMicrosoft365.js';
import { Badge } from '../../components/Badge.js';
import { formatAbsolute } from '../../components/RelativeTime.js';
import { GrantConsent } from './GrantConsent.js';
import { consentBadge, secureScoreWords } from './tenantWords.js';

interface TenantCardProps {
  tenant: ClientTenant;
  clientId: number;
  canMutate: boolean;
  online: boolean;
}

/** One Microsoft 365 tenant of a client: consent (and Grant consent), licenses, Secure Score; each part's own error beside the others. */
export function TenantCard({ tenant, clientId, canMutate, online }: TenantCardProps) {
  const badge = consentBadge(tenant);
  const titleId = `tenant-${tenant.tenantId}`;
  const { licenses, secureScore } = tenant;
  // Without a token nothing is read there; the reason is said once, above, not again per part.
  const noToken = tenant.consent !== 'consented';
  const notRead = (what: string, error: string) =>
    noToken ? <span className="muted">{what}: no token in this tenant yet</span> : <span className="field-error">{what}: {error}</span>;
  return (
    <article className="tenant-card" aria-labelledby={titleId}>
      <header className="tenant-card-header">
        <div>
          <h3 id={titleId}>{tenant.tenantName}</h3>
          <p className="muted tenant-id">{tenant.tenantId}</p>
        </div>
        <Badge tone={badge.tone}>{badge.label}</Badge>
      </header>
      {tenant.reason && <p className="tenant-reason">{tenant.reason}</p>}
      {tenant.consentFixes && <GrantConsent target={{ key: 'microsoft365', organizationKey: tenant.tenantId }} tenantName={tenant.tenantName} clientId={clientId} canMutate={canMutate} online={online} />}
      <dl className="tenant-facts">
        <dt>Secure Score</dt>
        <dd>
          {secureScore.error ? (
            notRead('Not read', secureScore.error)
          ) : secureScore.value ? (
            <>
              {secureScoreWords(secureScore.value)}
              {secureScore.value.createdDateTime && <span className="muted"> · {formatAbsolute(secureScore.value.createdDateTime)}</span>}
            </>
          ) : (
            <span className="muted">No score yet</span>
          )}
        </dd>
      </dl>
      {licenses.error ? (
        <p>{notRead('Licenses not read', licenses.error)}</p>
      ) : licenses.value && licenses.value.length > 0 ? (
        <table className="ticket-table tenant-licenses">
          <caption className="tenant-caption">Licenses</caption>
          <thead>
            <tr>
              <th scope="col">Subscription</th>
              <th scope="col">Consumed / prepaid</th>
              <th scope="col">Warning</th>
              <th scope="col">Suspended</th>
            </tr>
          </thead>
          <tbody>
            {licenses.value.map((l) => (
              <tr key={l.skuPartNumber}>
                <th scope="row">
                  {l.skuPartNumber}
                  {l.capabilityStatus && l.capabilityStatus !== 'Enabled' && <span className="muted"> · {l.capabilityStatus}</span>}
                </th>
                <td>
                  {l.consumed} / {l.prepaid}
                  {l.consumed > l.prepaid && <Badge tone="danger">over by {l.consumed - l.prepaid}</Badge>}
                </td>
                <td>{l.warning > 0 ? <Badge tone="warn">{l.warning}</Badge> : 0}</td>
                <td>{l.suspended > 0 ? <Badge tone="danger">{l.suspended}</Badge> : 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No subscriptions in this tenant.</p>
      )}
    </article>
  );
}
