import { useState, type ReactNode } from 'react';
import { Button } from '../../components/Button.js';

/**
 * The signing secret, shown once right after the server generated it. It lives only in this
 * component's props (never in a query cache or storage): leaving the screen or pressing "Done"
 * forgets it, and the server will only ever show its last four characters again.
 */
export function SecretReveal({
  secret,
  onDone,
  children,
  title = 'Copy your signing secret now',
  copyLabel = 'Copy secret',
}: {
  secret: string;
  onDone: () => void;
  /** What the secret is for; the alert webhook's words by default. */
  children?: ReactNode;
  /** The heading and the copy button's words (issue 25's assistant token is a token, not a signing secret). */
  title?: string;
  copyLabel?: string;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="notice notice-warn secret-reveal" aria-labelledby="secret-reveal-title">
      <h2 id="secret-reveal-title">{title}</h2>
      <p>
        <strong>You will not see it again.</strong>{' '}
        {children ?? (
          <>
            Your receiver uses it to check the <code>X-IC-Signature</code> header of every delivery. If you lose it, rotate the secret and
            update your receiver.
          </>
        )}
      </p>
      <div className="row secret-reveal-value">
        <code className="mono" data-testid="revealed-secret">
          {secret}
        </code>
        <Button size="sm" onClick={() => void copy()}>
          {copyLabel}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done, I saved it
        </Button>
      </div>
      <p role="status" className="muted">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying was not allowed here: select the secret and copy it by hand.' : ''}
      </p>
    </section>
  );
}
