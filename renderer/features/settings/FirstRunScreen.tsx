import '../login/LoginScreen.css';
import { ServerAddressForm } from './ServerAddressForm.js';

/** First run of a packaged app: which server to use, before anything else. */
export function FirstRunScreen() {
  return (
    <main className="login">
      <div className="login-panel card">
        <div className="login-brand">
          <span className="login-logo" aria-hidden="true">
            IC
          </span>
          <span>Integration Center</span>
        </div>
        <h1>Connect to your server</h1>
        <p className="muted">Integration Center keeps a copy of your integrations on this computer and syncs it with your organisation’s server.</p>
        <ServerAddressForm initial={null} submitLabel="Continue" />
      </div>
    </main>
  );
}
