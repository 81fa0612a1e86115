import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redactSecrets.js';

const secret = 'Sk_live/9fQ+x2 Zt7pLm';

describe('redactSecrets', () => {
  it('removes a secret as written, JSON-escaped, URL- and form-encoded, base64 and in any case', () => {
    const echoed = [
      `key ${secret} refused`,
      `body {"k":${JSON.stringify(secret)}}`,
      `url ?token=${encodeURIComponent(secret)}`,
      `form token=${new URLSearchParams({ s: secret }).toString().slice(2)}`,
      `basic ${Buffer.from(secret).toString('base64')}`,
      `upper ${secret.toUpperCase()}`,
      `lower ${secret.toLowerCase()}`,
    ];
    for (const text of echoed) {
      const out = redactSecrets(text, [secret]);
      expect(out, text).toContain('[redacted]');
      expect(out.toLowerCase(), text).not.toContain('9fq');
    }
  });

  it('removes a long secret split across lines or cut short, and leaves the rest of the text', () => {
    const token = 'a81f3c9e77d24b05be6f0c1d9e2a4f68';
    expect(redactSecrets(`Invalid token a81f3c9e77d24b05\nbe6f0c1d9e2a4f68 for account 42`, [token])).toBe('Invalid token [redacted]\n[redacted] for account 42');
    expect(redactSecrets('token a81f3c9e77d2… is invalid', [token])).toBe('token [redacted]… is invalid');
  });

  it('leaves text without secrets, short secrets and short coincidences alone', () => {
    expect(redactSecrets('The API key is not valid', ['abc'])).toBe('The API key is not valid');
    expect(redactSecrets('nothing here', [])).toBe('nothing here');
    expect(redactSecrets('id a81f and more', ['a81f3c9e77d24b05be6f0c1d9e2a4f68'])).toBe('id a81f and more');
    expect(redactSecrets('', [secret])).toBe('');
    expect(redactSecrets('pass', [undefined, 'pass'])).toBe('[redacted]');
    // A word inside a human-chosen secret is not a piece of it: the vendor's message stays whole.
    expect(redactSecrets('MSP360 rejected the API login or password', ['demo-expired-password'])).toBe('MSP360 rejected the API login or password');
  });
});
