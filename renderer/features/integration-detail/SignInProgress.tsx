import type { SignInView } from '../../../shared/localOAuth.js';
import { useConnectionActions } from '../../app/data/hooks/useConnection.js';
import { Button } from '../../components/Button.js';
import { ExternalLink } from '../../components/ExternalLink.js';

/** Where the core's sign-in stands: waiting (with Cancel and the page's link), finishing, or how it ended. */
export function SignInProgress({ signIn }: { signIn: SignInView }) {
  const { cancel } = useConnectionActions(signIn.key);
  switch (signIn.phase) {
    case 'waiting':
      return (
        <div className="notice notice-info sign-in-progress" role="status">
          <div className="stack">
            <p>Waiting for you to sign in in your browser…</p>
            {signIn.authorizeUrl && (
              <p>
                No tab opened? <ExternalLink href={signIn.authorizeUrl}>Open the sign-in page</ExternalLink>
              </p>
            )}
          </div>
          <Button size="sm" onClick={() => cancel.mutate()} busy={cancel.isPending}>
            Cancel
          </Button>
        </div>
      );
    case 'finishing':
      return (
        <div className="notice notice-info" role="status">
          <p>Signed in; the server is finishing the connection…</p>
        </div>
      );
    case 'failed':
      return (
        <div className="notice notice-danger" role="alert">
          <p>
            <strong>Not connected: </strong>
            {signIn.message}
          </p>
        </div>
      );
    case 'cancelled':
      return <p className="muted">Sign-in cancelled.</p>;
    case 'connected':
      return null;
  }
}
