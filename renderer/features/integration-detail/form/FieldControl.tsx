import type { FieldSpec } from '../../../../shared/integrations/fields.js';
import { Field } from '../../../components/Field.js';
import { SecretField } from './SecretField.js';
import type { ConfigurationFormState } from './useConfigurationForm.js';
import type { SettingsView } from '../../../../shared/integrations/fields.js';

export interface FieldControlProps {
  spec: FieldSpec;
  id: string;
  form: ConfigurationFormState;
  settings: SettingsView | null;
  disabled: boolean;
}

/** One input per field kind, built from its FieldSpec. */
export function FieldControl({ spec, id, form, settings, disabled }: FieldControlProps) {
  const error = form.errorFor(spec.key);
  const value = form.values[spec.key];
  const text = typeof value === 'string' ? value : '';
  const common = { label: spec.label, required: spec.required, help: spec.help, error };

  switch (spec.kind) {
    case 'Secret':
      return <SecretField spec={spec} id={id} form={form} settings={settings} disabled={disabled} />;
    case 'Bool':
      return (
        <Field id={id} {...common} inline>
          {(a11y) => (
            <input {...a11y} type="checkbox" className="checkbox" checked={value === true} disabled={disabled} onChange={(e) => form.setValue(spec.key, e.target.checked)} />
          )}
        </Field>
      );
    case 'Select':
      return (
        <Field id={id} {...common}>
          {(a11y) => (
            <select {...a11y} className="input" value={text} disabled={disabled} onChange={(e) => form.setValue(spec.key, e.target.value)}>
              <option value="" disabled={spec.required}>
                {spec.required ? 'Choose…' : 'None'}
              </option>
              {spec.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    case 'Text':
    case 'Url':
      return (
        <Field id={id} {...common}>
          {(a11y) => (
            <input
              {...a11y}
              type={spec.kind === 'Url' ? 'url' : 'text'}
              inputMode={spec.kind === 'Url' ? 'url' : undefined}
              className="input"
              value={text}
              placeholder={spec.placeholder}
              disabled={disabled}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => form.setValue(spec.key, e.target.value)}
            />
          )}
        </Field>
      );
  }
}
