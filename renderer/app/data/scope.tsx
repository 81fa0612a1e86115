import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { SessionUser } from '../../../shared/auth.js';
import type { ReadScope } from './DataSource.js';

interface ScopeValue {
  user: SessionUser;
  /** The partner whose data is on screen: the user's own unless the dev partner switched. */
  viewingPartnerId: number;
  setViewingPartnerId(id: number): void;
}

const ScopeContext = createContext<ScopeValue | null>(null);

/**
 * Which partner the dev partner is viewing survives a reload of the window (sessionStorage:
 * this tab or window only, gone when it closes), so support work is not thrown back to the own
 * partner. Anyone else always views their own.
 */
const viewingPrefix = 'ic.viewingPartner.';
const viewingKey = (user: SessionUser) => `${viewingPrefix}${user.id}`;

/** Forgets which partner anyone was viewing: a new session starts at its own partner. */
export function forgetViewingPartners(): void {
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(viewingPrefix)) sessionStorage.removeItem(key);
  } catch {
    // storage refused: nothing was kept either
  }
}

function storedViewing(user: SessionUser): number {
  if (!user.isDev) return user.partnerId;
  try {
    const stored = Number(sessionStorage.getItem(viewingKey(user)));
    return Number.isSafeInteger(stored) && stored > 0 ? stored : user.partnerId;
  } catch {
    return user.partnerId; // storage refused (privacy settings): a reload forgets, nothing more
  }
}

/** Holds the signed-in user and, for the dev partner, which partner is being viewed. */
export function ScopeProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  const [viewingPartnerId, setViewing] = useState(() => storedViewing(user));
  const setViewingPartnerId = useCallback(
    (id: number) => {
      setViewing(id);
      try {
        if (id === user.partnerId) sessionStorage.removeItem(viewingKey(user));
        else sessionStorage.setItem(viewingKey(user), String(id));
      } catch {
        // as above: only the reload would forget
      }
    },
    [user],
  );
  const value = useMemo(() => ({ user, viewingPartnerId, setViewingPartnerId }), [user, viewingPartnerId, setViewingPartnerId]);
  return <ScopeContext.Provider value={value}>{children}</ScopeContext.Provider>;
}

export function useScope(): ScopeValue {
  const scope = useContext(ScopeContext);
  if (!scope) throw new Error('useScope needs a <ScopeProvider>');
  return scope;
}

/** The scope argument for reads: undefined for the own partner, so sources need no dev logic. */
export function useReadScope(): ReadScope | undefined {
  const { user, viewingPartnerId } = useScope();
  return viewingPartnerId === user.partnerId ? undefined : { partnerId: viewingPartnerId };
}

export interface Permissions {
  canMutate: boolean;
  /** "Test connection" on the saved configuration: changes nothing, so technicians may too (own partner only). */
  canTest: boolean;
  /** Why mutation controls are absent, in one short sentence; null when they are present. */
  readOnlyReason: string | null;
}

/** Technicians, and the dev partner looking at another partner, see everything read-only (technicians may test). */
export function usePermissions(): Permissions {
  const { user, viewingPartnerId } = useScope();
  if (viewingPartnerId !== user.partnerId) {
    return { canMutate: false, canTest: false, readOnlyReason: 'You are viewing another partner’s integrations to support them; they are read-only.' };
  }
  if (user.role !== 'partner_admin') {
    return {
      canMutate: false,
      canTest: true,
      readOnlyReason: 'Technicians can view integrations, status and audit, and test a saved connection. Ask a partner admin to change settings.',
    };
  }
  return { canMutate: true, canTest: true, readOnlyReason: null };
}
