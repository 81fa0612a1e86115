import { useEffect, useState, type FormEvent } from 'react';
import { loginInputSchema } from '../../../shared/auth.js';
import { useLogin } from '../../app/data/hooks/useSession.js';
import type { AppState } from '../../app/data/types.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';
import { ServerAddressForm } from '../settings/ServerAddressForm.js';
import './LoginScreen.css';
import { describeLoginError } from './loginErrors.js';

type LoginFieldErrors = Partial<Record<'email' | 'password', string>>;

/** "45 s", or "15 min" for the long pauses of an account lock. */
const waitText = (seconds: number) => (seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);

/** Which server this sign-in goes to, with a way to change it while signed out. */
function ServerLine({ app }: { app: AppState }) {
  const [changing, setChanging] = useState(false);
  if (changing) return <ServerAddressForm initial={app.serverUrl} submitLabel="Use this server" onSaved={() => setChanging(false)} onCancel={() => setChanging(false)} />;
  return (
    <p className="login-server muted">
      Server <span className="mono">{app.serverUrl}</span>
      {app.serverUrlEditable && (
        <Button size="sm" variant="ghost" onClick={() => setChanging(true)} aria-label="Change the server address">
          Change
        </Button>
      )}
    </p>
  );
}

/**
 * Sign-in with clear errors: wrong credentials, server unreachable, rate limited (with a
 * countdown). When the session ended (token expired or refused) it says so, and that the data on
 * this computer and the drafts are kept for when the same user signs in again.
 */
export function LoginScreen({ app }: { app?: AppState }) {
  const login = useLogin();
  const ended = app?.endedSession ?? null;
  const [email, setEmail] = useState(ended?.email ?? '');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<LoginFieldErrors>({});
  const [waitSeconds, setWaitSeconds] = useState(0);

  useEffect(() => {
    if (waitSeconds <= 0) return;
    const timer = setTimeout(() => setWaitSeconds((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [waitSeconds]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = loginInputSchema.safeParse({ email, password });
    if (!parsed.success) {
      const errors: LoginFieldErrors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if ((key === 'email' || key === 'password') && !errors[key]) errors[key] = key === 'email' ? 'Enter your email address, like name@company.com' : issue.message;
      }
      setFieldErrors(errors);
      document.getElementById(errors.email ? 'login-email' : 'login-password')?.focus();
      return;
    }
    setFieldErrors({});
    login.mutate(parsed.data, { onError: (e) => setWaitSeconds(e.retryAfterSeconds ?? 0) });
  };

  const error = login.error ? describeLoginError(login.error) : null;
  return (
    <main className="login">
      <div className="login-panel card">
        <div className="login-brand">
          <span className="login-logo" aria-hidden="true">
            IC
          </span>
          <span>Integration Center</span>
        </div>
        <h1>Sign in</h1>
        {ended ? (
          <div className="notice notice-info" role="note">
            <p>
              <strong>Your session ended.</strong> Sign in again as {ended.email} to carry on: your drafts and the data cached on this computer are kept.
            </p>
          </div>
        ) : (
          <p className="muted">Use your partner account to manage integrations.</p>
        )}
        <div className="login-error" role="alert">
          {error && (
            <div className="notice notice-danger">
              <p>
                <strong>{error.title}</strong> {error.body}
                {waitSeconds > 0 && ` Try again in ${waitText(waitSeconds)}.`}
              </p>
            </div>
          )}
        </div>
        <form className="stack" noValidate onSubmit={onSubmit}>
          <Field id="login-email" label="Email" required error={fieldErrors.email}>
            {(a11y) => <input {...a11y} className="input" type="email" autoComplete="username" value={email} onChange={(e) => {
              setEmail(e.target.value);
              // The pause is per account: another one may try at once.
              setWaitSeconds(0);
            }} />}
          </Field>
          <Field id="login-password" label="Password" required error={fieldErrors.password}>
            {(a11y) => <input {...a11y} className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <Button type="submit" variant="primary" busy={login.isPending} disabled={waitSeconds > 0}>
            {waitSeconds > 0 ? `Wait ${waitText(waitSeconds)}` : 'Sign in'}
          </Button>
        </form>
        {app?.tokenStorageNote && <p className="muted">{app.tokenStorageNote}</p>}
        {app?.serverUrl && <ServerLine app={app} />}
      </div>
    </main>
  );
}
