import '../features/login/LoginScreen.css';
import './styles/tokens.css';
import './styles/base.css';

/** Browser mode opened without the per-launch link: say where the right one is. */
export function NoLaunchToken() {
  return (
    <main className="login">
      <div className="login-panel card">
        <h1>Open Integration Center from its link</h1>
        <p>
          This page needs the address printed by <code>npm start</code> or <code>npm run desktop</code>: it carries a one-time key, so no other website or user
          on this computer can use the app.
        </p>
      </div>
    </main>
  );
}
