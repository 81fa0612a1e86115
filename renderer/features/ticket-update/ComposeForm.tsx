import { useState, type FormEvent } from 'react';
import type { ActionDescriptor } from '../../../shared/actions.js';
import type { BackupSummary } from '../../../shared/actions/msp360.js';
import type { ActionIntent, ComposeUpdateInput, IntentTicket } from '../../../shared/localActions.js';
import { useBackupSummary, useIntentActions } from '../../app/data/hooks/useActions.js';
import { Button } from '../../components/Button.js';
import { ticketName } from './IntentSummary.js';
import { UnavailableNote } from './TicketPicker.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

interface ComposeFormProps {
  clientId: number;
  clientName: string;
  ticket: IntentTicket;
  online: boolean;
  /** The draft being edited again (Back from Review): rewritten in place, its key kept. */
  draft: ActionIntent | null;
  summaryAction: ActionDescriptor | undefined;
  attachAction: ActionDescriptor | undefined;
  onComposed(intent: ActionIntent): void;
  onBack(): void;
}

/** The comment, with the backup summary inserted and the report attached if wanted, and time logged. */
export function ComposeForm({ clientId, clientName, ticket, online, draft, summaryAction, attachAction, onComposed, onBack }: ComposeFormProps) {
  const { compose } = useIntentActions();
  const summary = useBackupSummary();
  const [subject, setSubject] = useState(draft?.comment.subject ?? 'Update');
  const [body, setBody] = useState(draft?.comment.body ?? '');
  const [hidden, setHidden] = useState(draft?.comment.hidden ?? false);
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 7 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const [report, setReport] = useState<BackupSummary | null>(null);
  const [attach, setAttach] = useState(false);
  const [logTime, setLogTime] = useState(draft?.time !== null && draft?.time !== undefined);
  const [minutes, setMinutes] = useState(String(draft?.time?.minutes ?? 15));
  const [notes, setNotes] = useState(draft?.time?.notes ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const insertSummary = () =>
    summary.mutate(
      { clientId, from, to },
      {
        onSuccess: (result) => {
          const out = result.output as BackupSummary | undefined;
          if (result.status !== 'succeeded' || !out) return setErrors({ summary: result.error?.message ?? 'MSP360 gave no summary' });
          setReport(out);
          setBody((b) => (b.trim() ? `${b.trimEnd()}\n\n${out.text}` : out.text));
          setErrors({});
        },
        onError: (err) => setErrors({ summary: err.fields?.['input.from']?.join(' ') ?? err.message }),
      },
    );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input: ComposeUpdateInput = {
      ...(draft ? { id: draft.id } : {}),
      clientId,
      ticket,
      comment: { subject, body, hidden },
      ...(attach && report ? { report } : {}),
      ...(logTime ? { time: { minutes: Number(minutes), notes } } : {}),
    };
    compose.mutate(input, {
      onSuccess: onComposed,
      // Field messages beside their fields (comment.body, time.minutes …); anything else on top.
      onError: (err) => setErrors(Object.fromEntries(Object.entries(err.fields ?? { form: [err.message] }).map(([k, v]) => [k, v.join(' ')]))),
    });
  };

  const summaryBlocked = summaryAction && !summaryAction.available;
  return (
    <form className="card" aria-labelledby="compose-title" onSubmit={onSubmit} noValidate>
      <div className="card-header">
        <h2 id="compose-title">2. Write the update</h2>
        <span className="muted">to {ticketName({ ticket })}</span>
      </div>
      <div className="card-body stack">
        {errors.form && (
          <div className="notice notice-danger" role="alert">
            <p>{errors.form}</p>
          </div>
        )}
        <div className="compose-field">
          <label className="field-label" htmlFor="comment-subject">
            Subject
          </label>
          <input id="comment-subject" className="input" value={subject} onChange={(e) => setSubject(e.target.value)} aria-invalid={errors['comment.subject'] ? true : undefined} aria-describedby={errors['comment.subject'] ? 'comment-subject-error' : undefined} />
          {errors['comment.subject'] && <p id="comment-subject-error" className="field-error">{errors['comment.subject']}</p>}
        </div>
        <div className="compose-field">
          <label className="field-label" htmlFor="comment-body">
            Comment <span aria-hidden="true">*</span>
          </label>
          <textarea id="comment-body" className="input compose-body" rows={8} value={body} onChange={(e) => setBody(e.target.value)} aria-required="true" aria-invalid={errors['comment.body'] ? true : undefined} aria-describedby={errors['comment.body'] ? 'comment-body-error' : undefined} />
          {errors['comment.body'] && <p id="comment-body-error" className="field-error">{errors['comment.body']}</p>}
        </div>
        <fieldset className="compose-visibility">
          <legend className="field-label">Who sees it</legend>
          <label>
            <input type="radio" name="visibility" checked={!hidden} onChange={() => setHidden(false)} /> Public: the customer sees it (and may get an e-mail)
          </label>
          <label>
            <input type="radio" name="visibility" checked={hidden} onChange={() => setHidden(true)} /> Hidden: a private note for technicians
          </label>
        </fieldset>
        <fieldset className="compose-summary">
          <legend className="field-label">MSP360 backup summary</legend>
          {summaryBlocked && summaryAction ? (
            <UnavailableNote action={summaryAction} clientName={clientName} />
          ) : (
            <div className="row">
              <label htmlFor="summary-from">From</label>
              <input id="summary-from" type="date" className="input" value={from} onChange={(e) => setFrom(e.target.value)} />
              <label htmlFor="summary-to">To</label>
              <input id="summary-to" type="date" className="input" value={to} onChange={(e) => setTo(e.target.value)} />
              <Button onClick={insertSummary} busy={summary.isPending} disabled={!online}>
                Insert backup summary
              </Button>
            </div>
          )}
          {!online && <p className="muted">Offline: the summary is read from MSP360 through the server, so it can be inserted once the server is back.</p>}
          {errors.summary && <p className="field-error">{errors.summary}</p>}
          <label className="compose-check">
            <input type="checkbox" checked={attach} disabled={!report || attachAction?.available === false} onChange={(e) => setAttach(e.target.checked)} /> Attach the report (CSV + HTML)
          </label>
          {!report && <p className="muted">Insert a summary first to attach it as a report.</p>}
          {report && attachAction && !attachAction.available && <UnavailableNote action={attachAction} clientName={clientName} />}
        </fieldset>
        <fieldset className="compose-time">
          <legend className="field-label">Time</legend>
          <label className="compose-check">
            <input type="checkbox" checked={logTime} onChange={(e) => setLogTime(e.target.checked)} /> Log time on the ticket
          </label>
          {logTime && (
            <div className="row">
              <label htmlFor="time-minutes">Minutes</label>
              <input id="time-minutes" className="input time-minutes" inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-invalid={errors['time.minutes'] ? true : undefined} aria-describedby={errors['time.minutes'] ? 'time-minutes-error' : undefined} />
              <label htmlFor="time-notes">Notes</label>
              <input id="time-notes" className="input time-notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
              {errors['time.minutes'] && <p id="time-minutes-error" className="field-error">{errors['time.minutes']}</p>}
            </div>
          )}
        </fieldset>
        <div className="row">
          <Button variant="ghost" onClick={onBack}>
            Pick another ticket
          </Button>
          <Button type="submit" variant="primary" busy={compose.isPending}>
            Review
          </Button>
        </div>
      </div>
    </form>
  );
}
