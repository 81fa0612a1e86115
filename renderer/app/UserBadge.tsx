import { useState } from 'react';
import { Button } from '../components/Button.js';
import { ConfirmDialog } from '../components/Dialog.js';
import { formatAbsolute } from '../components/RelativeTime.js';
import { useToast } from '../components/Toast.js';
import { useLogout } from './data/hooks/useSession.js';
import type { Session } from './data/types.js';

const roleLabel = (role: Session['user']['role']) => (role === 'partner_admin' ? 'Partner admin' : 'Technician');

function pendingDrafts(details: unknown): number {
  const n = (details as { pendingDrafts?: unknown } | null | undefined)?.pendingDrafts;
  return typeof n === 'number' ? n : 0;
}

/**
 * Who is signed in, as what, for which partner, until when; and Sign out. Signing out deletes
 * this computer's copy of the user's data, so with unsent changes it asks first.
 */
export function UserBadge({ session }: { session: Session }) {
  const logout = useLogout();
  const toast = useToast();
  const [unsent, setUnsent] = useState(0);
  const { user } = session;

  const signOut = (force: boolean) =>
    logout.mutate(
      { force },
      {
        onError: (e) => {
          if (e.code === 'CONFLICT' && pendingDrafts(e.details) > 0) setUnsent(pendingDrafts(e.details));
          else toast({ tone: 'error', title: 'Couldn’t sign out', body: e.message });
        },
      },
    );

  return (
    <div className="user-badge">
      <div className="user-badge-text">
        <span className="user-badge-name">{user.displayName}</span>
        <span className="user-badge-meta" title={`Session valid until ${formatAbsolute(session.expiresAt)}`}>
          {roleLabel(user.role)} · {user.partnerName}
        </span>
      </div>
      <Button size="sm" onClick={() => signOut(false)} busy={logout.isPending && unsent === 0}>
        Sign out
      </Button>
      <ConfirmDialog
        open={unsent > 0}
        title="Sign out and lose unsent changes?"
        confirmLabel="Sign out anyway"
        tone="danger"
        busy={logout.isPending}
        onConfirm={() => signOut(true)}
        onCancel={() => setUnsent(0)}
      >
        <p>
          {unsent === 1 ? 'One change has' : `${unsent} changes have`} not reached the server yet. Signing out deletes them with the data kept on this computer.
        </p>
        <p>To keep them, cancel and apply them from Pending changes first.</p>
      </ConfirmDialog>
    </div>
  );
}
