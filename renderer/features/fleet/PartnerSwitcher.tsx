import { usePartners } from '../../app/data/hooks/useFleet.js';
import { useScope } from '../../app/data/scope.js';
import { Button } from '../../components/Button.js';

/**
 * The dev partner's bar under the header: which partner's data is on screen, a switcher, and
 * while viewing someone else, that it is read-only and the way back.
 */
export function PartnerSwitcher() {
  const { user, viewingPartnerId, setViewingPartnerId } = useScope();
  const partners = usePartners(user.isDev);
  if (!user.isDev) return null;
  const own = viewingPartnerId === user.partnerId;
  const list = partners.data ?? [{ id: user.partnerId, name: user.partnerName, isDev: true }];
  return (
    <div className={`partner-bar${own ? '' : ' partner-bar-other'}`}>
      <div className="partner-switcher">
        <label htmlFor="partner-switcher">Viewing partner</label>
        <select id="partner-switcher" className="input" value={viewingPartnerId} onChange={(e) => setViewingPartnerId(Number(e.target.value))}>
          {list.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.id === user.partnerId ? ' (you)' : ''}
            </option>
          ))}
        </select>
      </div>
      {!own && (
        <>
          <span className="partner-bar-note">Read-only support view of another partner.</span>
          <Button size="sm" onClick={() => setViewingPartnerId(user.partnerId)}>
            Back to {user.partnerName}
          </Button>
        </>
      )}
    </div>
  );
}
