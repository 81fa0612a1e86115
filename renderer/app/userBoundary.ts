import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useLayoutEffect, useRef } from 'react';
import { useClearToasts } from '../components/Toast.js';
import { forgetViewingPartners } from './data/scope.js';
import { hrefFor } from './router.js';

/** Queries that describe the app rather than a user: the session itself and the server address. */
const keepsAcrossUsers = (key: readonly unknown[]) => key[0] === 'session';

/**
 * Everything the window holds for one user, forgotten in one go: every cached read and mutation
 * (integrations, details, audit, drafts, sync, fleet, partners), every toast, the route (the
 * next user starts at the catalog, not on a screen their role may not offer) and the partner the
 * platform operator was viewing. The desktop core forgets its side itself (sign-out deletes the
 * user's cache files; a session that ends keeps them for that user only, one file per user).
 */
export function resetPerUserState({ client, clearToasts }: { client: QueryClient; clearToasts: () => void }): void {
  void client.cancelQueries({ predicate: (q) => !keepsAcrossUsers(q.queryKey) });
  client.removeQueries({ predicate: (q) => !keepsAcrossUsers(q.queryKey) });
  client.getMutationCache().clear();
  clearToasts();
  forgetViewingPartners();
  // replaceState: the next user's Back button does not lead into the previous user's screens.
  if (window.location.hash !== hrefFor({ name: 'catalog' })) history.replaceState(history.state, '', hrefFor({ name: 'catalog' }));
}

/**
 * Watches who is signed in (undefined while unknown, null when nobody is) and resets the window's
 * per-user state whenever a user's session ends: sign-out, a session the server or the clock
 * ended, or a different user appearing. Runs before the browser paints, so the screen after the
 * change never shows a frame of the previous user's toasts or rows.
 */
export function useUserBoundary(userId: number | null | undefined): void {
  const client = useQueryClient();
  const clearToasts = useClearToasts();
  const owner = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (userId === undefined) return;
    const previous = owner.current;
    owner.current = userId;
    if (previous !== null && previous !== userId) resetPerUserState({ client, clearToasts });
  }, [userId, client, clearToasts]);
}
