import { Button } from '../components/Button.js';
import { formatAbsolute } from '../components/RelativeTime.js';
import { useLogout } from './data/hooks/useSession.js';
import type { Session } from './data/types.js';

const roleLabel = (role: Session['user']['role']) => (role === 'partner_admin' ? 'Partner admin' : 'Technician');

/** Who is signed in, as what, for which partner, until when; and Sign out. */
export function UserBadge({ session }: { session: Session }) {
  const logout = useLogout();
  const { user } = session;
  return (
    <div className="user-badge">
      <div className="user-badge-text">
        <span className="user-badge-name">{user.displayName}</span>
        <span className="user-badge-meta" title={`Session valid until ${formatAbsolute(session.expiresAt)}`}>
          {roleLabel(user.role)} · {user.partnerName}
        </span>
      </div>
      <Button size="sm" onClick={() => logout.mutate()} busy={logout.isPending}>
        Sign out
      </Button>
    </div>
  );
}
