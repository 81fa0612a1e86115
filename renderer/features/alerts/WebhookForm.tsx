import { useState, type FormEvent } from 'react';
import type { Webhook } from '../../../shared/integrations/health.js';
import type { WebhookSaved } from '../../../shared/integrations/alertWebhook.js';
import { alertWebhookFormSchema } from '../../../shared/localApi.js';
import { useSaveAlertWebhook } from '../../app/data/hooks/useAlerts.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';

/**
 * URL and on/off of the partner's webhook. Checked with the shared schema first (the server
 * checks again, including whether the address may be reached); its field messages show here.
 */
export function WebhookForm({ webhook, onSaved }: { webhook: Webhook | null; onSaved: (saved: WebhookSaved) => void }) {
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true);
  const [error, setError] = useState<string | null>(null);
  const save = useSaveAlertWebhook();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = alertWebhookFormSchema.safeParse({ url: url.trim(), enabled });
    if (!parsed.success) {
      setError(parsed.error.issues.find((i) => i.path[0] === 'url')?.message ?? 'Check the URL');
      return;
    }
    setError(null);
    save.mutate(parsed.data, {
      onSuccess: onSaved,
      onError: (err) => setError(err.fields?.url?.[0] ?? err.message),
    });
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Alert webhook">
      <Field
        id="webhook-url"
        label="Webhook URL"
        required
        error={error}
        help="We POST a signed JSON event here when an integration fails, degrades or recovers."
      >
        {(a11y) => <input {...a11y} className="input" type="url" inputMode="url" placeholder="https://example.com/hooks/integration-center" value={url} onChange={(e) => setUrl(e.target.value)} />}
      </Field>
      <label className="switch">
        <input type="checkbox" role="switch" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Send alerts to this webhook
      </label>
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {webhook ? 'Save webhook' : 'Create webhook'}
        </Button>
      </div>
    </form>
  );
}
