import { useEffect, useRef } from 'react';
import type { FieldSpec, SettingsView } from '../../../../shared/integrations/fields.js';
import { Button } from '../../../components/Button.js';
import { Field } from '../../../components/Field.js';
import { savedSecret } from './formModel.js';
import type { ConfigurationFormState } from './useConfigurationForm.js';

export interface SecretFieldProps {
  spec: FieldSpec;
  id: string;
  form: ConfigurationFormState;
  settings: SettingsView | null;
  disabled: boolean;
}

/**
 * A secret: when one is saved it shows "Saved ••••1234" and a Replace button, never a value,
 * and a replacement left blank keeps the saved one, so editing other fields never means
 * re-entering credentials.
 */
export function SecretField({ spec, id, form, settings, disabled }: SecretFieldProps) {
  const saved = savedSecret(settings, spec.key);
  const replacing = form.replacing[spec.key] === true;
  const input = useRef<HTMLInputElement>(null);
  const replaceButton = useRef<HTMLButtonElement>(null);
  const wasReplacing = useRef(replacing);

  useEffect(() => {
    // Move focus with the swap, so keyboard users stay where they were working.
    if (replacing && !wasReplacing.current) input.current?.focus();
    if (!replacing && wasReplacing.current) replaceButton.current?.focus();
    wasReplacing.current = replacing;
  }, [replacing]);

  const masked = `••••${saved?.last4 ?? ''}`;
  const value = form.values[spec.key];

  return (
    <Field id={id} label={spec.label} required={spec.required} help={spec.help} error={form.errorFor(spec.key)}>
      {(a11y) =>
        saved && !replacing ? (
          <div className="secret-saved">
            <span id={`${id}-saved`}>
              Saved <span className="mono">{masked}</span>
            </span>
            <Button
              ref={replaceButton}
              id={a11y.id}
              size="sm"
              disabled={disabled}
              aria-label={`Replace ${spec.label}`}
              aria-describedby={[`${id}-saved`, a11y['aria-describedby']].filter(Boolean).join(' ')}
              onClick={() => form.setReplacing(spec.key, true)}
            >
              Replace
            </Button>
          </div>
        ) : (
          <>
            {saved && (
              <div className="secret-saved">
                <span id={`${id}-keep`}>
                  Saved <span className="mono">{masked}</span> — leave blank to keep
                </span>
                <Button size="sm" variant="ghost" disabled={disabled} aria-label={`Keep the saved ${spec.label}`} onClick={() => form.setReplacing(spec.key, false)}>
                  Keep saved
                </Button>
              </div>
            )}
            <input
              {...a11y}
              ref={input}
              aria-describedby={[saved ? `${id}-keep` : '', a11y['aria-describedby'] ?? ''].filter(Boolean).join(' ') || undefined}
              type="password"
              className="input"
              value={typeof value === 'string' ? value : ''}
              placeholder={saved ? 'Leave blank to keep the saved value' : spec.placeholder}
              disabled={disabled}
              autoComplete="new-password"
              spellCheck={false}
              onChange={(e) => form.setValue(spec.key, e.target.value)}
            />
          </>
        )
      }
    </Field>
  );
}
