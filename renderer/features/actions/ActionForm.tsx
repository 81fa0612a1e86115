import type { ActionDescriptor } from '../../../shared/actions.js';
import { useClients } from '../../app/data/hooks/useMappings.js';
import { Field } from '../../components/Field.js';
import type { FormField, FormValues } from './schemaForm.js';

interface ActionFormProps {
  action: ActionDescriptor;
  fields: FormField[];
  values: FormValues;
  errors: Record<string, string>;
  disabled: boolean;
  onChange(name: string, value: string | boolean): void;
}

const help = (field: FormField): string | undefined => {
  const parts = [field.description];
  if (field.kind === 'number' && (field.min !== undefined || field.max !== undefined)) {
    parts.push(field.min !== undefined && field.max !== undefined ? `From ${field.min} to ${field.max}.` : field.min !== undefined ? `At least ${field.min}.` : `At most ${field.max}.`);
  }
  if (field.kind === 'list') parts.push(`Separate ${field.options ? `(${field.options.join(', ')})` : 'items'} with commas or put one per line.`);
  if (field.kind === 'json') parts.push('Written as JSON.');
  if (!field.required && field.kind !== 'checkbox' && field.defaultValue === undefined) parts.push('Optional.');
  const text = parts.filter(Boolean).join(' ');
  return text || undefined;
};

/** The partner's clients, for an action that addresses one (its `clientId`). */
function ClientSelect({ a11y, value, disabled, onChange }: { a11y: object; value: string; disabled: boolean; onChange(v: string): void }) {
  const clients = useClients();
  const list = (clients.data?.clients ?? []).filter((c) => !c.archived);
  return (
    <select className="input" {...a11y} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      <option value="">{clients.isPending ? 'Loading clients…' : 'Choose a client'}</option>
      {list.map((c) => (
        <option key={c.id} value={String(c.id)}>
          {c.name}
        </option>
      ))}
    </select>
  );
}

/** One control per field of the action's input, each with the server's message beside it. */
export function ActionForm({ action, fields, values, errors, disabled, onChange }: ActionFormProps) {
  const idOf = (name: string) => `action-${action.id.replace(/\./g, '-')}-${name}`;
  if (fields.length === 0) return <p className="muted">This action takes no input.</p>;
  return (
    <div className="action-fields">
      {fields.map((field) => {
        const value = values[field.name];
        const text = typeof value === 'string' ? value : '';
        const set = (v: string | boolean) => onChange(field.name, v);
        // Text to write (a comment, JSON, a list) gets the form's full width.
        const wide = field.kind === 'textarea' || field.kind === 'json' || field.kind === 'list';
        return (
          <div key={field.name} className={wide ? 'action-field-wide' : undefined}>
            <Field id={idOf(field.name)} label={field.kind === 'client' ? 'Client' : field.label} required={field.required} help={help(field)} error={errors[field.name] ?? null} inline={field.kind === 'checkbox'}>
              {(a11y) => {
                switch (field.kind) {
                  case 'checkbox':
                    return <input type="checkbox" {...a11y} checked={value === true} disabled={disabled} onChange={(e) => set(e.target.checked)} />;
                  case 'client':
                    return <ClientSelect a11y={a11y} value={text} disabled={disabled} onChange={set} />;
                  case 'select':
                    return (
                      <select className="input" {...a11y} value={text} disabled={disabled} onChange={(e) => set(e.target.value)}>
                        <option value="">{field.required ? 'Choose one' : '(none)'}</option>
                        {field.options?.map((o) => (
                          <option key={o} value={o}>
                            {o}
                          </option>
                        ))}
                      </select>
                    );
                  case 'number':
                    return <input type="number" className="input" {...a11y} value={text} min={field.min} max={field.max} step={field.integer ? 1 : 'any'} disabled={disabled} onChange={(e) => set(e.target.value)} />;
                  case 'date':
                    return <input type="date" className="input" {...a11y} value={text} disabled={disabled} onChange={(e) => set(e.target.value)} />;
                  case 'datetime':
                    return <input type="datetime-local" className="input" {...a11y} value={text} disabled={disabled} onChange={(e) => set(e.target.value)} />;
                  case 'textarea':
                  case 'list':
                  case 'json':
                    return <textarea className={`input${field.kind === 'json' ? ' mono' : ''}`} rows={field.kind === 'textarea' ? 5 : 3} {...a11y} value={text} disabled={disabled} onChange={(e) => set(e.target.value)} />;
                  default:
                    return <input type={field.inputType ?? 'text'} className="input" {...a11y} value={text} disabled={disabled} onChange={(e) => set(e.target.value)} />;
                }
              }}
            </Field>
          </div>
        );
      })}
    </div>
  );
}
