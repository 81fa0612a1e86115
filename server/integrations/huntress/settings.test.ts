import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/integrations/fields.js';
import { huntressPlugin } from './index.js';
import { huntressApiBase, huntressFields, huntressUrl, readCredentials } from './settings.js';

const good = { subdomain: 'Northwind', api_key: 'hk_1234abcd', api_secret: 's3cr:et/Value', key_type: 'user' };

describe('Huntress settings', () => {
  it('accepts a complete pair; the secret is a Secret field, the public key is not', () => {
    expect(huntressPlugin.validate(good)).toBeNull();
    expect(huntressFields.find((f) => f.key === 'api_secret')?.kind).toBe('Secret');
    expect(huntressFields.find((f) => f.key === 'api_key')?.kind).toBe('Text');
    expect(settingsSchema(huntressFields, 'create').safeParse(good).success).toBe(true);
  });

  it('names every problem by field, never echoing the secret', () => {
    const errors = huntressPlugin.validate({ subdomain: 'https://northwind.huntress.io', api_key: 'a:b', api_secret: 'has space', key_type: 'owner' });
    expect(errors).toEqual({
      subdomain: ['Enter only the subdomain, e.g. northwind for https://northwind.huntress.io'],
      api_key: ['The API key is a single word without spaces or colons'],
      api_secret: ['The API secret key is a single word without spaces'],
      key_type: ['Choose the key type: the account API key (read-only) or a user-based API key'],
    });
    expect(JSON.stringify(errors)).not.toContain('has space');
    expect(huntressPlugin.validate({})).toEqual({
      subdomain: ['Account subdomain is required'],
      api_key: ['API key is required'],
      api_secret: ['API secret key is required'],
      key_type: ['Choose the key type: the account API key (read-only) or a user-based API key'],
    });
    // The form's own schema refuses the same (field specs shared with the desktop).
    const parsed = settingsSchema(huntressFields, 'create').safeParse({ ...good, key_type: 'owner', api_key: 'a b' });
    expect(parsed.success).toBe(false);
  });

  it('reads credentials trimmed, the subdomain lower-cased', () => {
    expect(readCredentials({ ...good, api_key: ' hk_1234abcd ' })).toEqual({ subdomain: 'northwind', apiKey: 'hk_1234abcd', apiSecret: 's3cr:et/Value', keyType: 'user' });
  });

  it('builds /v1 paths from HUNTRESS_BASE_URL with or without a trailing slash or /v1', () => {
    for (const base of ['https://api.huntress.io', 'https://api.huntress.io/', 'https://api.huntress.io/v1']) {
      expect(huntressUrl(huntressApiBase(base), '/account').toString()).toBe('https://api.huntress.io/v1/account');
    }
    expect(() => huntressApiBase('ftp://api.huntress.io')).toThrow(/must be http/);
  });
});
