import type { DataSource } from './data/DataSource.js';
import { DataSourceProvider } from './data/DataSourceContext.js';
import { useAppState, useSession } from './data/hooks/useSession.js';
import { ScopeProvider } from './data/scope.js';
import { ToastOutlet, ToastProvider, ToastScope } from '../components/Toast.js';
import { EmptyState } from '../components/EmptyState.js';
import { Button } from '../components/Button.js';
import { LoginScreen } from '../features/login/LoginScreen.js';
import { FirstRunScreen } from '../features/settings/FirstRunScreen.js';
import { UpdatePrompt } from '../features/updates/UpdatePrompt.js';
import { Shell } from './Shell.js';
import { useThemeAttribute } from './theme.js';
import { useUserBoundary } from './userBoundary.js';
import './styles/tokens.css';
import './styles/base.css';

function SessionGate() {
  const app = useAppState();
  const session = useSession();
  useUserBoundary(session.data === undefined ? undefined : (session.data?.user.id ?? null));
  useThemeAttribute(app.data?.theme);
  if (app.isPending || session.isPending) return <div className="app-loading" aria-busy="true" aria-label="Starting Integration Center" />;
  const failed = app.error ?? session.error;
  if (failed) {
    return (
      <main>
        <EmptyState
          tone="error"
          title="Integration Center couldn’t start"
          action={
            <Button
              onClick={() => {
                void app.refetch();
                void session.refetch();
              }}
            >
              Try again
            </Button>
          }
        >
          {failed.message}
        </EmptyState>
      </main>
    );
  }
  if (!app.data) return null;
  if (app.data.needsServerUrl || !session.data) {
    return (
      <>
        <ToastOutlet />
        {app.data.needsServerUrl ? <FirstRunScreen /> : <LoginScreen app={app.data} />}
      </>
    );
  }
  return (
    // Keyed by user so switching accounts starts from a clean scope; the toast scope drops
    // answers that arrive for this user after they are gone. The shell shows the toasts.
    <ScopeProvider key={session.data.user.id} user={session.data.user}>
      <ToastScope>
        <Shell session={session.data} />
      </ToastScope>
    </ScopeProvider>
  );
}

/** The whole renderer over a DataSource: the app and the tests pass the local API's, the preview a canned one. */
export function App({ source }: { source: DataSource }) {
  return (
    <DataSourceProvider source={source}>
      <ToastProvider>
        <SessionGate />
        <UpdatePrompt />
      </ToastProvider>
    </DataSourceProvider>
  );
}
