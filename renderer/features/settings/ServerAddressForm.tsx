import { useState, type FormEvent } from 'react';
import { serverUrlSchema } from '../../../shared/desktopSettings.js';
import { useSetServerUrl } from '../../app/data/hooks/useSession.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';

export interface ServerAddressFormProps {
  /** The address in use, to start from (settings); empty at first run. */
  initial: string | null;
  submitLabel: string;
  onSaved?(serverUrl: string): void;
  onCancel?(): void;
}

/**
 * The server address, checked with the same schema the core applies (https, or plain http to
 * this computer only) as the user types once they tried, and by the core when saved.
 */
export function ServerAddressForm({ initial, submitLabel, onSaved, onCancel }: ServerAddressFormProps) {
  const save = useSetServerUrl();
  const [value, setValue] = useState(initial ?? '');
  const [attempted, setAttempted] = useState(false);
  const local = serverUrlSchema.safeParse(value);
  const localError = attempted && !local.success ? (local.error.issues[0]?.message ?? 'Check the address') : null;
  const serverError = save.error ? (save.error.fields?.serverUrl?.[0] ?? save.error.message) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (!local.success) {
      document.getElementById('server-url')?.focus();
      return;
    }
    save.mutate(local.data, { onSuccess: (state) => onSaved?.(state.serverUrl ?? local.data) });
  };

  return (
    <form className="stack" noValidate onSubmit={onSubmit}>
      <Field
        id="server-url"
        label="Server address"
        required
        error={localError ?? serverError}
        help="The address your administrator gave you, such as https://integrations.example.com. Your sign-in, cached data and drafts belong to this server."
      >
        {(a11y) => (
          <input
            {...a11y}
            className="input"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder="https://integrations.example.com"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              if (save.error) save.reset();
            }}
          />
        )}
      </Field>
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel} disabled={save.isPending}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
