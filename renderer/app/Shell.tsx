import { useEffect, useRef } from 'react';
import { ConnectionStatus, OfflineNotice } from '../components/ConnectionBanner.js';
import { ToastOutlet, useToast } from '../components/Toast.js';
import { useCoveredEdge } from '../components/useCoveredEdge.js';
import { PartnerSwitcher } from '../features/fleet/PartnerSwitcher.js';
import { automationsOfflineSaves } from '../features/automations/access.js';
import { useSyncNow, useSyncStatus } from './data/hooks/useSync.js';
import { usePermissions, useScope } from './data/scope.js';
import type { Session } from './data/types.js';
import { MainNav } from './MainNav.js';
import { useRoute } from './router.js';
import { Routes } from './Routes.js';
import './Shell.css';
import { UserBadge } from './UserBadge.js';

const automationRoutes = new Set(['automations', 'automation', 'automationRun']);

/** Header (navigation, partner, connection, session) over the routed screen. */
export function Shell({ session }: { session: Session }) {
  const route = useRoute();
  const sync = useSyncStatus();
  const syncNow = useSyncNow();
  const toast = useToast();
  const { canMutate } = usePermissions();
  const { user } = useScope();
  const main = useRef<HTMLElement>(null);
  const header = useRef<HTMLElement>(null);
  useCoveredEdge(header, 'top', '--covered-top');
  const firstRoute = useRef(true);
  const routeId = route.name === 'integration' ? `integration:${route.key}` : route.name;

  useEffect(() => {
    // After navigation, start reading (and tabbing) at the new screen, not the old scroll position.
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    window.scrollTo(0, 0);
    main.current?.focus();
  }, [routeId]);

  const onSyncNow = () =>
    syncNow.mutate(undefined, {
      onSuccess: () => toast({ tone: 'success', title: 'Up to date' }),
      onError: (e) => toast({ tone: 'error', title: 'Sync failed', body: e.message }),
    });

  // The connection state decides the offline notice in the header, so the shell stays hidden
  // until it is known (it is local and quick) — but mounted, so the screen's own reads start
  // now instead of after it, and nothing moves when it appears.
  return (
    <>
      {sync.isPending && <div className="app-loading" aria-busy="true" aria-label="Loading" />}
      <div className="shell" hidden={sync.isPending}>
        <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>
          Skip to content
        </a>
        <header className="shell-header" ref={header}>
          <div className="shell-bar">
            <div className="shell-brand">
              <span className="shell-logo" aria-hidden="true">
                IC
              </span>
              <span className="shell-product">Integration Center</span>
            </div>
            <MainNav route={route} showChanges={user.role === 'partner_admin'} showFleet={user.isDev} showAlerts={user.role === 'partner_admin'} pendingCount={sync.data?.pendingDrafts ?? 0} conflictCount={sync.data?.conflictDrafts ?? 0} />
            <div className="shell-tools">
              <ConnectionStatus status={sync.data} onSyncNow={onSyncNow} syncing={syncNow.isPending} />
              <UserBadge session={session} />
            </div>
          </div>
          <PartnerSwitcher />
          {/* Automation saves are kept and sent on reconnect whatever the review mode, and runs need the server: the banner says so there. */}
          {sync.data?.connection === 'offline' && <OfflineNotice canEdit={canMutate} reviewMode={sync.data.reviewMode} saves={automationRoutes.has(route.name) ? automationsOfflineSaves : undefined} />}
          {/* In the sticky header: always in view, and never over a control of the screen. */}
          <ToastOutlet />
        </header>
        <main id="main" ref={main} tabIndex={-1} className="shell-main">
          <Routes route={route} />
        </main>
      </div>
    </>
  );
}
