import { describe, expect, it } from 'vitest';
import { maxBodyBytes, redactBody } from './redact.js';

describe('redactBody', () => {
  it('keeps allow-listed values, redacts the rest and keeps the structure', () => {
    const body = { ticket: { id: 7, number: 1042, subject: 'Backups', status: 'Open', contact_email: 'a@b.c', properties: { x: 1 } }, list: [1, 2] };
    expect(redactBody(body, [])?.value).toEqual({
      ticket: { id: 7, number: 1042, subject: 'Backups', status: 'Open', contact_email: '[redacted]', properties: { x: '[redacted]' } },
      list: ['[redacted]', '[redacted]'],
    });
  });

  it('redacts credential-looking keys whole, whatever they hold', () => {
    expect(redactBody({ access_token: 'x', Password: 'p', apiKey: { id: 1 }, refresh_token: ['a'] }, [])?.value).toEqual({
      access_token: '[redacted]', Password: '[redacted]', apiKey: '[redacted]', refresh_token: '[redacted]',
    });
  });

  it('scrubs the call\'s secrets from every kept string, plain or URL-encoded', () => {
    const secret = 'tok/secret+1234';
    const body = { message: `Invalid token ${secret}`, errors: [`see ${encodeURIComponent(secret)}`], body: 'fine' };
    expect(redactBody(body, [secret])?.value).toEqual({ message: 'Invalid token [redacted]', errors: ['see [redacted]'], body: 'fine' });
    expect(redactBody(`<html>${secret}</html>`, [secret])?.value).toBe('<html>[redacted]</html>');
  });

  it('caps a body at 8 KB of JSON and marks it truncated', () => {
    const big = { body: 'x'.repeat(20_000) };
    const kept = redactBody(big, []);
    expect(kept?.truncated).toBe(true);
    expect(typeof kept?.value).toBe('string');
    expect(Buffer.byteLength(kept?.value as string)).toBeLessThanOrEqual(maxBodyBytes);
    expect(redactBody({ body: 'small' }, [])).toEqual({ value: { body: 'small' }, truncated: false });
    expect(redactBody(undefined, [])).toBeUndefined();
  });
});
