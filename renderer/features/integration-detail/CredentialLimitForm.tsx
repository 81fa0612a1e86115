import { useId, useState, type FormEvent } from 'react';
import { useSetCredentialPolicy } from '../../app/data/hooks/useVersions.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';
import { useToast } from '../../components/Toast.js';

/**
 * The partner-wide credential limit, changed in place (partner admins, online): a whole number of
 * days, 1 to 3650. The server says what is wrong with a value; nothing is saved until it accepts.
 */
export function CredentialLimitForm({ current, onDone }: { current: number; onDone(): void }) {
  const id = useId();
  const [text, setText] = useState(String(current));
  const save = useSetCredentialPolicy();
  const toast = useToast();
  const error = save.error ? (save.error.fields?.maxAgeDays?.[0] ?? save.error.message) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    // Sent as typed (a number when it reads as one): the rules live in one schema, checked there.
    const value = text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text);
    save.mutate(value as number, {
      onSuccess: (policy) => {
        toast({ tone: 'success', title: `Credential limit set to ${policy.maxAgeDays} days` });
        onDone();
      },
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Partner-wide credential limit">
      <Field id={id} label="Partner-wide limit (days)" help="For credentials whose vendor states no lifetime. Applies to every integration of your partner." error={error}>
        {(a11y) => <input {...a11y} className="input" inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} disabled={save.isPending} />}
      </Field>
      <div className="row">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save limit'}
        </Button>
        <Button onClick={onDone} disabled={save.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
