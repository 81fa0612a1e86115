import { useEffect, useMemo, useRef, useState } from 'react';
import type { ActionDescriptor } from '../../../shared/actions.js';
import type { AppError } from '../../../shared/errors.js';
import type { ActionRequest } from '../../../shared/localActionRequests.js';
import { useActionRequests, useIntegrationActions, useRequestActions, useRunRead } from '../../app/data/hooks/useActionRequests.js';
import { Button } from '../../components/Button.js';
import { ActionForm } from './ActionForm.js';
import { unavailableSentence } from './actionWords.js';
import { RequestOutcome, SentInput } from './RequestOutcome.js';
import { ResultView } from './ResultView.js';
import { buildInput, fieldErrorsByName, fieldsOf, initialValues, type FormValues } from './schemaForm.js';

interface ActionPanelProps {
  action: ActionDescriptor;
  provider: string;
  online: boolean;
  isDev: boolean;
  /** A partner admin: a `not_permitted` then is the plugin's refusal, not the role's. */
  isAdmin: boolean;
  onClose(): void;
}

/** What a read's or a run's refusal says beside the form: its field messages, the rest on top. */
function refusal(error: AppError | null, online: boolean): string | null {
  if (!error) return null;
  if (error.code === 'UNAVAILABLE' && !online) return 'Reads need the server: this runs when you’re online.';
  return error.message;
}

/**
 * One action: its form (generated from the input schema), then for a read "Run" and its result;
 * for a side-effectful one "Review" (the core stores the request and makes its key, once), then
 * "Run" sends exactly what was reviewed. Offline, Run keeps it on this computer.
 */
export function ActionPanel({ action, provider, online, isDev, isAdmin, onClose }: ActionPanelProps) {
  const fields = useMemo(() => fieldsOf(action.inputSchema, { clientScoped: action.clientScoped }), [action]);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [composed, setRequest] = useState<ActionRequest | null>(null);
  // The request as the core has it now: a queued one is sent by itself when the server is back.
  const recent = useActionRequests(action.integrationKey, composed !== null);
  const request = (composed && recent.data?.find((r) => r.id === composed.id && r.updatedAt >= composed.updatedAt)) ?? composed;
  const [phase, setPhase] = useState<'edit' | 'review' | 'done'>('edit');
  const read = useRunRead();
  const { compose, run } = useRequestActions();
  const clientField = fields.find((f) => f.kind === 'client');
  const clientId = clientField && typeof values[clientField.name] === 'string' && values[clientField.name] ? Number(values[clientField.name]) : undefined;
  // Availability for the chosen client (a client-scoped action needs the client mapped).
  const forClient = useIntegrationActions(action.integrationKey, clientId);
  const clientReason = clientId ? forClient.data?.items.find((a) => a.id === action.id)?.unavailable : undefined;

  const serverFields = request?.state === 'failed' ? request.fields : (read.error?.fields ?? compose.error?.fields ?? null);
  const errors = { ...fieldErrorsByName(fields, serverFields), ...localErrors };
  const busy = read.isPending || compose.isPending || run.isPending;
  const topError = refusal(read.error ?? compose.error ?? run.error, online) ?? (request?.state === 'failed' && !request.fields ? request.error : null) ?? errors[''] ?? null;

  const change = (name: string, value: string | boolean) => {
    setValues((v) => ({ ...v, [name]: value }));
    setLocalErrors(({ [name]: _, ...rest }) => rest);
  };

  const build = () => {
    const built = buildInput(fields, values);
    setLocalErrors(built.errors);
    return Object.keys(built.errors).length === 0 ? built.input : null;
  };

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    const input = build();
    if (!input) return;
    if (!action.sideEffectful) {
      read.mutate({ actionId: action.id, input }, { onSuccess: () => setPhase('done') });
      return;
    }
    // The request is stored (and its key made) now; editing a draft keeps the key.
    compose.mutate({ ...(request ? { id: request.id } : {}), actionId: action.id, input }, {
      onSuccess: (r) => {
        setRequest(r);
        setPhase('review');
      },
    });
  };

  const send = () => {
    if (!request) return;
    run.mutate(request.id, {
      onSuccess: (r) => {
        setRequest(r);
        // A refused input goes back to the form with its field messages.
        setPhase(r.state === 'failed' && r.fields ? 'edit' : 'done');
      },
    });
  };

  const again = () => {
    read.reset();
    compose.reset();
    run.reset();
    setRequest(null);
    setPhase('edit');
  };

  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from the list above: the panel is where the user works now (keyboard and sight).
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const titleId = `panel-${action.id.replace(/\./g, '-')}`;
  return (
    <section className="card action-panel" aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          {action.label}
        </h2>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      <div className="card-body stack">
        <p className="muted">{action.description}</p>
        {topError && (
          <div className="notice notice-danger" role="alert">
            <p>{topError}</p>
          </div>
        )}
        {clientReason && (
          <div className="notice notice-warn" role="note">
            <p>{unavailableSentence(clientReason, provider, { isDev, isAdmin })}</p>
          </div>
        )}
        {phase === 'edit' && (
          <form className="stack" onSubmit={onSubmit} noValidate aria-label={`${action.label} input`}>
            <ActionForm action={action} fields={fields} values={values} errors={errors} disabled={busy} onChange={change} />
            {action.sideEffectful && !online && (
              <div className="notice notice-info" role="note">
                <p>You’re offline. Run keeps this on this computer; it is sent by itself, once, when the server is back.</p>
              </div>
            )}
            <div className="row">
              <Button type="submit" variant="primary" busy={busy}>
                {action.sideEffectful ? 'Review' : 'Run'}
              </Button>
            </div>
          </form>
        )}
        {phase === 'review' && request && (
          <div className="stack">
            <h3>Review</h3>
            <p className="muted">This is exactly what will be sent to {provider}. It runs once, however often it is resent.</p>
            <SentInput request={request} />
            <div className="row">
              <Button variant="ghost" onClick={() => setPhase('edit')} disabled={run.isPending}>
                Back to edit
              </Button>
              <Button variant="primary" busy={run.isPending} onClick={send}>
                {online ? 'Run' : 'Queue'}
              </Button>
            </div>
          </div>
        )}
        {phase === 'done' && (
          <div className="stack">
            {action.sideEffectful && request ? <RequestOutcome request={request} provider={provider} onChange={(r) => (r ? setRequest(r) : again())} /> : read.data && <ResultView output={read.data.output} title={`${action.label} result`} />}
            <div className="row">
              <Button onClick={again}>{action.sideEffectful ? 'Start a new one' : 'Run again'}</Button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
