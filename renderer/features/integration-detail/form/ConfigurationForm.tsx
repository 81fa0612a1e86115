import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { FieldErrors } from '../../../../shared/errors.js';
import type { FieldSpec, SettingsInput, SettingsSchemaMode, SettingsView } from '../../../../shared/integrations/fields.js';
import { Button } from '../../../components/Button.js';
import './ConfigurationForm.css';
import { FieldControl } from './FieldControl.js';
import { useConfigurationForm, type FormEdits } from './useConfigurationForm.js';

export interface ConfigurationFormProps {
  /** Prefix for control ids; unique per form on the page. */
  idPrefix: string;
  fields: readonly FieldSpec[];
  /** Stored settings (masked); null when nothing is configured yet (create mode). */
  settings: SettingsView | null;
  /** Per-field messages from the server (ApiErrorBody.fields), shown inline. */
  serverErrors?: FieldErrors | null;
  submitLabel: string;
  busy?: boolean;
  onSubmit(input: SettingsInput, mode: SettingsSchemaMode): void;
  /** "Test these values": runs the health check on the unsaved form. */
  onTest?(input: SettingsInput): void;
  testing?: boolean;
  onCancel?(): void;
  /** A line under the buttons (e.g. "Saving creates a draft"). */
  note?: ReactNode;
  /** Typing to start with, on top of `settings` (carried over from the form this one replaces). */
  carry?: FormEdits;
  /** Told what the user has typed whenever it changes (null: nothing), so it can be carried over. */
  onEditsChange?(edits: FormEdits | null): void;
}

/**
 * The settings form, built from the plugin's field specs and validated with the same zod schema
 * the server uses: as you type for the fields you touch, all at once on submit.
 */
export function ConfigurationForm(props: ConfigurationFormProps) {
  const { idPrefix, fields, settings, serverErrors, submitLabel, busy = false, onSubmit, onTest, testing = false, onCancel, note, carry, onEditsChange } = props;
  const form = useConfigurationForm(fields, settings, serverErrors, carry);
  const { dirty, edits } = form;
  useEffect(() => onEditsChange?.(dirty ? edits : null), [dirty, edits, onEditsChange]);
  const [attempted, setAttempted] = useState(false);
  const summaryId = `${idPrefix}-summary`;

  useEffect(() => {
    // When the server refuses a field, take the user to it.
    const first = fields.find((f) => serverErrors?.[`settings.${f.key}`] ?? serverErrors?.[f.key]);
    if (first) document.getElementById(`${idPrefix}-${first.key}`)?.focus();
  }, [serverErrors, fields, idPrefix]);

  const run = (then: (input: SettingsInput) => void) => {
    setAttempted(true);
    const result = form.submit();
    if (result.ok) then(result.input);
    else document.getElementById(`${idPrefix}-${result.invalid[0] ?? ''}`)?.focus();
  };

  const onFormSubmit = (event: FormEvent) => {
    event.preventDefault();
    run((input) => onSubmit(input, form.mode));
  };

  const invalid = fields.filter((f) => form.errorFor(f.key));
  const showSummary = (attempted && invalid.length > 0) || form.otherErrors.length > 0;

  return (
    <form className="config-form" noValidate onSubmit={onFormSubmit} aria-describedby={showSummary ? summaryId : undefined}>
      <div id={summaryId} className="config-form-summary" role="alert">
        {showSummary && (
          <div className="notice notice-danger">
            <div>
              {invalid.length > 0 && (
                <p>
                  <strong>{invalid.length === 1 ? '1 field needs' : `${invalid.length} fields need`} attention:</strong> {invalid.map((f) => f.label).join(', ')}.
                </p>
              )}
              {form.otherErrors.map((m) => (
                <p key={m}>{m}</p>
              ))}
            </div>
          </div>
        )}
      </div>
      <p className="config-form-legend muted">
        <span aria-hidden="true">* </span>Required
      </p>
      <div className="config-form-fields">
        {fields.map((spec) => (
          <FieldControl key={spec.key} spec={spec} id={`${idPrefix}-${spec.key}`} form={form} settings={settings} disabled={busy} />
        ))}
      </div>
      <div className="config-form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
        {onTest && (
          <Button onClick={() => run(onTest)} busy={testing} disabled={busy}>
            Test these values
          </Button>
        )}
        {form.dirty && !onCancel && (
          <Button variant="ghost" onClick={form.reset} disabled={busy}>
            Discard edits
          </Button>
        )}
        {onCancel && (
          <Button variant="ghost" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
      </div>
      {note && <p className="config-form-note muted">{note}</p>}
    </form>
  );
}
