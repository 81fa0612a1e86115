import { useState } from 'react';
import type { Trigger } from '../../../shared/automations.js';
import type { AppError } from '../../../shared/errors.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';

type ManualInput = Extract<Trigger, { kind: 'manual' }>['inputs'][number];

/** The manual trigger's input form: each input typed as declared; the server checks the rest. */
export function RunNowForm({ inputs, busy, error, onRun, onCancel }: { inputs: ManualInput[]; busy: boolean; error: AppError | null; onRun(input: Record<string, unknown>): void; onCancel(): void }) {
  const [values, setValues] = useState<Record<string, string | boolean>>(() => Object.fromEntries(inputs.map((i) => [i.name, i.type === 'boolean' ? false : ''])));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const submit = () => {
    const out: Record<string, unknown> = {};
    const errors: Record<string, string> = {};
    for (const i of inputs) {
      const v = values[i.name];
      if (i.type === 'boolean') out[i.name] = v === true;
      else if (typeof v === 'string' && v.trim() !== '') out[i.name] = i.type === 'number' ? Number(v) : v;
      else if (i.required) errors[i.name] = 'Required';
    }
    setMissing(errors);
    if (Object.keys(errors).length === 0) onRun(out);
  };
  return (
    <form
      className="card automation-run-now"
      aria-label="Run now"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="card-body stack">
        <h2>Run now</h2>
        {inputs.length === 0 && <p className="muted">This automation takes no input.</p>}
        {inputs.map((i) => (
          <Field key={i.name} id={`run-input-${i.name}`} label={i.name} required={i.required} inline={i.type === 'boolean'} error={missing[i.name] ?? error?.fields?.[`input.${i.name}`]?.join(' ') ?? null}>
            {(a11y) =>
              i.type === 'boolean' ? (
                <input type="checkbox" {...a11y} checked={values[i.name] === true} onChange={(e) => setValues({ ...values, [i.name]: e.target.checked })} />
              ) : (
                <input className="input" type={i.type === 'number' ? 'number' : 'text'} {...a11y} value={String(values[i.name] ?? '')} onChange={(e) => setValues({ ...values, [i.name]: e.target.value })} />
              )
            }
          </Field>
        ))}
        {error && !error.fields && <p className="notice notice-danger">{error.message}</p>}
        <div className="row">
          <Button type="submit" variant="primary" busy={busy}>
            Start the run
          </Button>
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </div>
    </form>
  );
}
