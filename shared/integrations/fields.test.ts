import { describe, expect, it } from 'vitest';
import { testPluginFields } from '../../server/integrations/testing/controllablePlugin.js';
import { keepsStoredSecret, SECRET_MASK, settingsSchema } from './fields.js';

const errors = (mode: 'create' | 'update', input: unknown) => {
  const result = settingsSchema(testPluginFields, mode).safeParse(input);
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) (out[issue.path.join('.') || '_'] ??= []).push(issue.message);
  return out;
};

const valid = { subdomain: 'acme', api_token: 'tok', region: 'us' };

describe('settingsSchema', () => {
  it('accepts every kind with valid values and trims text', () => {
    const parsed = settingsSchema(testPluginFields, 'create').parse({
      ...valid,
      subdomain: '  acme  ',
      webhook_secret: 'whs',
      base_url: 'https://vendor.example/api',
      verify_tls: false,
      notes: '',
    });
    expect(parsed).toMatchObject({ subdomain: 'acme', verify_tls: false, notes: '' });
  });

  it('names every missing required field, and each wrong type, per field', () => {
    expect(errors('create', {})).toEqual({
      subdomain: ['Subdomain is required'],
      api_token: ['API token is required'],
      region: ['Region is required'],
    });
    expect(errors('create', { ...valid, subdomain: 5, verify_tls: 'yes', notes: ['x'], region: 'mars' })).toEqual({
      subdomain: ['Subdomain must be text'],
      verify_tls: ['Verify TLS must be true or false'],
      notes: ['Notes must be text'],
      region: ['Choose one of: United States, Europe'],
    });
    expect(errors('create', { ...valid, subdomain: '' })).toEqual({ subdomain: ['Subdomain is required'] });
  });

  it('checks patterns, URLs, lengths and unknown keys', () => {
    expect(errors('create', { ...valid, subdomain: 'Not Valid', base_url: 'ftp://x', notes: 'n'.repeat(201), extra: 1 })).toEqual({
      subdomain: ['Use lowercase letters, digits and dashes'],
      base_url: ['Base URL must be an http(s) URL'],
      notes: ['Notes must be at most 200 characters'],
      _: ['Unrecognized key: "extra"'],
    });
    expect(errors('create', { ...valid, api_token: 'x'.repeat(5000) })).toEqual({ api_token: ['API token must be at most 4096 characters'] });
  });

  it('lets an edit keep a secret by mask, blank or omission, but never stores the mask as a new secret', () => {
    for (const api_token of [SECRET_MASK, '', undefined]) {
      const input = { subdomain: 'acme', region: 'eu', ...(api_token === undefined ? {} : { api_token }) };
      expect(errors('update', input)).toEqual({});
      expect(keepsStoredSecret(api_token)).toBe(true);
    }
    expect(errors('update', { ...valid, api_token: 7 })).toEqual({ api_token: ['API token must be text'] });
    expect(errors('create', { ...valid, api_token: SECRET_MASK })).toEqual({ api_token: ['Enter the API token'] });
    expect(keepsStoredSecret('new-value')).toBe(false);
  });

  it('allows blank for an optional select and refuses unknown options', () => {
    const fields = [{ key: 'tier', label: 'Tier', kind: 'Select' as const, required: false, help: '', options: [{ value: 'a', label: 'A' }] }];
    expect(settingsSchema(fields, 'create').safeParse({ tier: '' }).success).toBe(true);
    expect(settingsSchema(fields, 'create').safeParse({}).success).toBe(true);
    expect(settingsSchema(fields, 'create').safeParse({ tier: 'b' }).error?.issues[0]?.message).toBe('Choose one of: A');
  });
});
