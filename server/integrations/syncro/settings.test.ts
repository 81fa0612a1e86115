import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/integrations/fields.js';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { createSyncroPlugin } from './index.js';
import { syncroBaseUrl } from './settings.js';

const plugin = createSyncroPlugin();
const schema = settingsSchema(plugin.meta.fields, 'create');
const token = 'T0k3nWithNoSpacesAtAll';

describe('Syncro settings', () => {
  it('declares the fields of the issue', () => {
    expect(plugin.meta).toMatchObject({ key: 'syncro', category: 'Psa' });
    expect(plugin.meta.fields.map((f) => [f.key, f.kind, f.required])).toEqual([
      ['subdomain', 'Text', true],
      ['api_token', 'Secret', true],
    ]);
  });

  it('accepts a hostname label, in any case', () => {
    for (const subdomain of ['northwind', 'north-wind', 'a', 'NorthWind', 'x1', 'a'.repeat(63)]) {
      expect(schema.safeParse({ subdomain, api_token: token }).success, subdomain).toBe(true);
      expect(plugin.validate({ subdomain, api_token: token }), subdomain).toBeNull();
    }
  });

  it.each([
    'north.wind',
    'north/wind',
    'northwind.syncromsp.com',
    'https://northwind.syncromsp.com',
    '-northwind',
    'northwind-',
    'north wind',
    'north_wind',
    'a'.repeat(64),
    '..',
    'northwind?x=1',
    'user@northwind',
  ])('refuses %j as a subdomain, in the shared schema and in validate()', (subdomain) => {
    expect(schema.safeParse({ subdomain, api_token: token }).success).toBe(false);
    const errors = plugin.validate({ subdomain, api_token: token });
    expect(errors?.subdomain?.[0]).toMatch(/subdomain|letters/i);
    expect(errors?.api_token).toBeUndefined();
  });

  it('says what to type when a whole address is pasted', () => {
    expect(plugin.validate({ subdomain: 'https://northwind.syncromsp.com', api_token: token })?.subdomain).toEqual([
      'Enter only the subdomain, e.g. northwind for https://northwind.syncromsp.com',
    ]);
  });

  it('requires both fields and refuses a token with spaces, without echoing it', () => {
    expect(schema.safeParse({ subdomain: 'northwind' }).success).toBe(false);
    expect(schema.safeParse({ subdomain: 'northwind', api_token: '' }).success).toBe(false);
    expect(schema.safeParse({ subdomain: 'northwind', api_token: 'two words' }).success).toBe(false);
    const errors = plugin.validate({ subdomain: '', api_token: 'secret value' });
    expect(errors).toEqual({ subdomain: ['Subdomain is required'], api_token: ['The API token is a single word without spaces'] });
    expect(JSON.stringify(errors)).not.toContain('secret value');
    expect(schema.safeParse({ subdomain: 'northwind', api_token: token, base_url: 'http://evil.test' }).success).toBe(false);
  });

  it('stores the subdomain lower-cased', async () => {
    const ctx = pluginContext({ settings: { subdomain: ' NorthWind ', api_token: token }, log: captureLogs().log });
    await expect(plugin.configure?.(ctx)).resolves.toEqual({ subdomain: 'northwind', api_token: token });
  });
});

describe('syncroBaseUrl', () => {
  it('fills the default host form and the loopback path form', () => {
    expect(syncroBaseUrl('https://{subdomain}.syncromsp.com/api/v1', 'Northwind').href).toBe('https://northwind.syncromsp.com/api/v1');
    expect(syncroBaseUrl('http://127.0.0.1:4000/{subdomain}/api/v1/', 'northwind').href).toBe('http://127.0.0.1:4000/northwind/api/v1');
  });

  it('never lets the subdomain change the host or the path', () => {
    for (const bad of ['evil.com', 'evil.com/x', 'a@evil.com', 'x:1', '../admin', 'a%2fb']) {
      expect(() => syncroBaseUrl('https://{subdomain}.syncromsp.com/api/v1', bad)).toThrow(/not valid/);
    }
  });

  it('refuses a template without the placeholder, so tokens cannot all go to one host', () => {
    expect(() => syncroBaseUrl('https://api.syncromsp.com/api/v1', 'northwind')).toThrow(/must contain \{subdomain\}/);
  });
});
