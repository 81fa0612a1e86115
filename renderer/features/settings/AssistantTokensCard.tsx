import { useState, type FormEvent } from 'react';
import { createAccessTokenInputSchema, type AccessTokenMode, type AccessTokenView } from '../../../shared/accessTokens.js';
import { useAccessTokens, useCreateAccessToken, useRevokeAccessToken } from '../../app/data/hooks/useAccessTokens.js';
import { useScope } from '../../app/data/scope.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';
import { RelativeTime, formatAbsolute } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { SecretReveal } from '../alerts/SecretReveal.js';
import '../alerts/Alerts.css';

const expiries = [7, 30, 90, 365] as const;
const modeWords: Record<AccessTokenMode, string> = { read_only: 'Read-only', read_write: 'Read and change' };
const statusTones = { active: 'ok', expired: 'neutral', revoked: 'neutral' } as const;
const statusWords = { active: 'Active', expired: 'Expired', revoked: 'Revoked' } as const;

function TokenRows({ items }: { items: AccessTokenView[] }) {
  const revoke = useRevokeAccessToken();
  const toast = useToast();
  if (items.length === 0) return <p className="muted">No tokens yet.</p>;
  return (
    <div className="alerts-scroll" role="region" aria-label="AI assistant tokens" tabIndex={0}>
      <table className="alerts-table" data-testid="access-tokens">
        <caption className="visually-hidden">Your AI assistant tokens, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Access</th>
            <th scope="col">State</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((t) => (
            <tr key={t.id}>
              <td>
                {t.name} <span className="muted mono">{t.prefix}…</span>
              </td>
              <td>{modeWords[t.mode]}{t.allowedActions ? `, ${t.allowedActions.length} actions only` : ''}</td>
              <td>
                <Badge tone={statusTones[t.status]}>{statusWords[t.status]}</Badge>
              </td>
              <td>
                <RelativeTime iso={t.lastUsedAt} fallback="Never" />
              </td>
              <td>{formatAbsolute(t.expiresAt)}</td>
              <td>
                {t.status === 'active' && (
                  <Button
                    size="sm"
                    variant="danger"
                    busy={revoke.isPending && revoke.variables === t.id}
                    aria-label={`Revoke the token ${t.name}`}
                    onClick={() =>
                      revoke.mutate(t.id, {
                        onSuccess: () => toast({ tone: 'success', title: `Token “${t.name}” revoked: assistants using it are refused from now on` }),
                        onError: (error) => toast({ tone: 'error', title: 'Not revoked', body: error.message }),
                      })
                    }
                  >
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Settings → AI assistants (issue 25, docs/mcp.md): personal access tokens an MCP client presents
 * at the server's /mcp. Name, expiry and access; the token is shown once; listed with its last
 * use; revocable at once. Read-and-change tokens are for partner admins (the server says so too).
 */
export function AssistantTokensCard() {
  const { user } = useScope();
  const tokens = useAccessTokens();
  const create = useCreateAccessToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number>(30);
  const [mode, setMode] = useState<AccessTokenMode>('read_only');
  const [attempted, setAttempted] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);
  const isAdmin = user.role === 'partner_admin';
  const parsed = createAccessTokenInputSchema.safeParse({ name, expiresInDays: days, mode });
  const localError = attempted && !parsed.success ? (parsed.error.issues.find((i) => i.path[0] === 'name')?.message ?? null) : null;
  const serverError = create.error ? (create.error.fields?.name?.[0] ?? create.error.fields?.mode?.[0] ?? create.error.message) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (!parsed.success) {
      document.getElementById('token-name')?.focus();
      return;
    }
    create.mutate(parsed.data, {
      onSuccess: (made) => {
        setRevealed(made.token);
        setName('');
        setAttempted(false);
      },
    });
  };

  if (user.isDev) {
    return <p className="muted">The platform operator runs no actions, so it has no AI assistant tokens.</p>;
  }
  return (
    <div className="stack">
      <p className="muted">
        An AI assistant (any MCP client) uses a token to run your integrations’ actions as you, through this server: it never holds a vendor’s
        credentials, and its calls show in each integration’s Activity under “Through AI assistants”. Set it up as the README’s “Use it from an AI
        assistant” shows.
      </p>
      {revealed && (
        <SecretReveal secret={revealed} onDone={() => setRevealed(null)} title="Copy your token now" copyLabel="Copy token">
          Paste it into your assistant’s configuration (as <code>Authorization: Bearer …</code> or <code>IC_ACCESS_TOKEN</code>). If you lose it, revoke it
          and make another.
        </SecretReveal>
      )}
      <form className="stack" noValidate onSubmit={onSubmit} aria-label="Make a token">
        <Field id="token-name" label="Name" required error={localError ?? serverError} help="Which assistant, on which computer: “Claude on my laptop”.">
          {(a11y) => (
            <input
              {...a11y}
              className="input"
              maxLength={100}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                if (create.error) create.reset();
              }}
            />
          )}
        </Field>
        <Field id="token-expiry" label="Expires after">
          {(a11y) => (
            <select {...a11y} className="input" value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {expiries.map((d) => (
                <option key={d} value={d}>
                  {d === 365 ? '1 year' : `${d} days`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="theme-choice">
          <legend>Access</legend>
          {(['read_only', 'read_write'] as const).map((m) => (
            <label key={m} className={`theme-option${mode === m ? ' theme-option-selected' : ''}`}>
              <input type="radio" name="token-mode" value={m} checked={mode === m} disabled={m === 'read_write' && !isAdmin} aria-describedby={`token-mode-${m}-help`} onChange={() => setMode(m)} />
              <span className="theme-option-text">
                <span className="theme-option-label">{modeWords[m]}</span>
                <span id={`token-mode-${m}-help`} className="muted">
                  {m === 'read_only' ? 'Finds and reads: tickets, clients, reports' : isAdmin ? 'Also comments, attaches and changes at vendors' : 'Partner admins only'}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="row">
          <Button type="submit" variant="primary" busy={create.isPending}>
            Make token
          </Button>
        </div>
      </form>
      {tokens.isPending ? (
        <Skeleton height={80} />
      ) : tokens.isError ? (
        <p className="muted" role="status">
          {tokens.error.message}
        </p>
      ) : (
        <TokenRows items={tokens.data.items} />
      )}
    </div>
  );
}
