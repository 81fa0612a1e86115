/**
 * The one place known secret values are removed from text meant for people or storage: vendor
 * error messages (health, alerts, the fleet view), action errors and interaction-log bodies.
 *
 * A vendor may echo a credential in another form than we sent it (issue 20 §7.6), so each secret
 * is looked for as written, JSON-escaped, URL-encoded (both `%20` and form `+`) and base64 (Basic
 * auth), in any letter case; and, for secrets of `fragmentLength` characters or more, every run of
 * at least that many consecutive characters of it holding a digit or a symbol, which catches a
 * secret split across lines or cut short ("token abcd1234efgh… is invalid"). Shorter pieces, and
 * runs of letters alone (words), cannot be told from ordinary text.
 */
export const redactedMark = '[redacted]';

/** Secrets shorter than this are not looked for at all (they would match ordinary words). */
const minSecretLength = 4;
/** The shortest run of a long secret's characters that counts as a piece of it. */
const fragmentLength = 8;

function forms(secret: string): string[] {
  const out = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), Buffer.from(secret).toString('base64').replace(/=+$/, '')]);
  return [...out].filter((f) => f.length >= minSecretLength).map((f) => f.toLowerCase());
}

export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= minSecretLength);
  if (values.length === 0 || text === '') return text;
  const lower = text.toLowerCase();
  // Marks every character that belongs to a secret, then replaces each marked run once.
  const marked = new Uint8Array(text.length);
  const mark = (from: number, length: number) => marked.fill(1, from, from + length);
  for (const secret of values) {
    for (const form of forms(secret)) {
      for (let at = lower.indexOf(form); at !== -1; at = lower.indexOf(form, at + 1)) mark(at, form.length);
      if (form.length < fragmentLength) continue;
      const grams = new Set<string>();
      for (let i = 0; i + fragmentLength <= form.length; i++) {
        const gram = form.slice(i, i + fragmentLength);
        // A run of letters alone may be a word ("password" inside "demo-expired-password") that a
        // vendor's own message uses: only runs with a digit or a symbol count as pieces.
        if (!/^[a-z]+$/.test(gram)) grams.add(gram);
      }
      for (let i = 0; i + fragmentLength <= lower.length; i++) if (grams.has(lower.slice(i, i + fragmentLength))) mark(i, fragmentLength);
    }
  }
  if (!marked.includes(1)) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (marked[i]) {
      while (i < text.length && marked[i]) i++;
      out += redactedMark;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}
