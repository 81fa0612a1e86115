import { useId, useState } from 'react';
import type { CredentialAgeItem, CredentialState } from '../../../shared/integrations/credentialAge.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { useCredentialAge } from '../../app/data/hooks/useVersions.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { formatAbsolute } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { CredentialLimitForm } from './CredentialLimitForm.js';

const stateBadge: Record<CredentialState, { tone: BadgeTone; text: string }> = {
  ok: { tone: 'ok', text: 'Within its limit' },
  rotate_soon: { tone: 'warn', text: 'Rotate soon' },
  overdue: { tone: 'danger', text: 'Past its limit' },
};

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);
const dateOnly = (iso: string) => formatAbsolute(iso).replace(/,? \d{1,2}:\d\d.*$/, '');

/** "Set 80 days ago (Sep 17, 2026); rotate by Dec 16, 2026", in the words of its state. */
export function credentialLine(item: CredentialAgeItem): string {
  const set = `Set ${item.ageDays === 0 ? 'today' : `${days(item.ageDays)} ago`} (${dateOnly(item.setAt)})`;
  return item.state === 'overdue' ? `${set}; its limit passed on ${dateOnly(item.dueAt)}` : `${set}; rotate by ${dateOnly(item.dueAt)}`;
}

/**
 * Issue 18 §2: when each stored credential was set, against the vendor's key lifetime or the
 * partner's default; "Rotate soon" within the notice period, "Past its limit" after. From the
 * server (online only), beside the status. Partner admins change the partner-wide limit here.
 */
export function CredentialAgePanel({ detail, canMutate, online }: { detail: IntegrationDetail; canMutate: boolean; online: boolean }) {
  const headingId = useId();
  const ages = useCredentialAge(detail.key, true);
  const [editing, setEditing] = useState(false);
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>Credential age</h2>
      </div>
      <div className="card-body stack">
        {ages.isPending ? (
          <Skeleton height={40} />
        ) : ages.isError ? (
          <p className="muted">{ages.error.code === 'UNAVAILABLE' ? 'Credential ages are kept on the server and need a connection.' : ages.error.message}</p>
        ) : ages.data.items.length === 0 ? (
          <p className="muted">No credential is stored.</p>
        ) : (
          <>
            <dl className="kv">
              {ages.data.items.map((item) => (
                <div key={item.field} className="kv-row">
                  <dt>{item.label}</dt>
                  <dd>
                    <Badge tone={stateBadge[item.state].tone}>{stateBadge[item.state].text}</Badge> {credentialLine(item)}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="muted">
              {ages.data.source === 'vendor'
                ? `${detail.provider} lets a credential live ${days(ages.data.maxAgeDays)}.`
                : `Your partner-wide limit: ${days(ages.data.maxAgeDays)}.`}{' '}
              An alert is sent {days(ages.data.rotateSoonDays)} before the limit, and again when it passes.
            </p>
            {ages.data.source === 'partner' && canMutate && online && !editing && (
              <div>
                <Button onClick={() => setEditing(true)}>Change the limit…</Button>
              </div>
            )}
            {editing && <CredentialLimitForm current={ages.data.maxAgeDays} onDone={() => setEditing(false)} />}
          </>
        )}
      </div>
    </section>
  );
}
