import { useEffect, useState, type FormEvent } from 'react';
import { loginInputSchema } from '../../../shared/auth.js';
import { useLogin } from '../../app/data/hooks/useSession.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';
import './LoginScreen.css';
import { describeLoginError } from './loginErrors.js';

type LoginFieldErrors = Partial<Record<'email' | 'password', string>>;

/** Sign-in with clear errors: wrong credentials, server unreachable, rate limited (with a countdown). */
export function LoginScreen() {
  const login = useLogin();
  const [email, setEmail] = useState('');
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
        <p className="muted">Use your partner account to manage integrations.</p>
        <div className="login-error" role="alert">
          {error && (
            <div className="notice notice-danger">
              <p>
                <strong>{error.title}</strong> {error.body}
                {waitSeconds > 0 && ` Try again in ${waitSeconds} s.`}
              </p>
            </div>
          )}
        </div>
        <form className="stack" noValidate onSubmit={onSubmit}>
          <Field id="login-email" label="Email" required error={fieldErrors.email}>
            {(a11y) => <input {...a11y} className="input" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <Field id="login-password" label="Password" required error={fieldErrors.password}>
            {(a11y) => <input {...a11y} className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <Button type="submit" variant="primary" busy={login.isPending} disabled={waitSeconds > 0}>
            {waitSeconds > 0 ? `Wait ${waitSeconds} s` : 'Sign in'}
          </Button>
        </form>
      </div>
    </main>
  );
}
