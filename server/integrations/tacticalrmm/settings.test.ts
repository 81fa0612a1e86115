import { describe, expect, it } from 'vitest';
import type { ResolveAll } from '../netGuard.js';
import { apiAddressProblem, httpsRequired } from './address.js';
import { createTacticalPlugin } from './index.js';
import { apiUrlText, normalizeApiUrl, tacticalUrl } from './settings.js';

const plugin = createTacticalPlugin();
const resolve: ResolveAll = async (hostname) => {
  const table: Record<string, string[]> = {
    'api.example.com': ['93.184.215.14'],
    'api.lan.test': ['10.0.0.5'],
    'loop.test': ['127.0.0.1'],
    'meta.test': ['169.254.169.254'],
    'mixed.test': ['93.184.215.14', '127.0.0.1'],
  };
  const found = table[hostname];
  if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: 4 }));
};
const strict = { allowPrivateNetwork: false };
const lenient = { allowPrivateNetwork: true };

describe('Tactical RMM settings', () => {
  it('accepts an API URL and key; names each bad field', () => {
    expect(plugin.validate({ api_url: 'https://api.example.com', api_key: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ123456' })).toBeNull();
    expect(plugin.validate({ api_url: 'ftp://api.example.com', api_key: 'two words' })).toEqual({
      api_url: ['The API URL must start with https://'],
      api_key: ['The API key is a single word without spaces'],
    });
    expect(plugin.validate({})).toEqual({ api_url: ['API URL is required'], api_key: ['API key is required'] });
    expect(plugin.validate({ api_url: 'https://me:pw@api.example.com', api_key: 'K' })?.api_url).toEqual(['The API URL may not hold a user name or password']);
    expect(plugin.validate({ api_url: 'https://api.example.com/?x=1', api_key: 'K' })?.api_url).toEqual(['Enter only the address of the API host, without ? or # parts']);
    expect(plugin.validate({ api_url: 'api.example.com', api_key: 'K' })?.api_url).toEqual(['Enter the full address, e.g. https://api.example.com']);
  });

  it('normalises the URL: no trailing slash, a path prefix kept; routes always end in a slash', () => {
    expect(apiUrlText(normalizeApiUrl(' https://API.example.com/// '))).toBe('https://api.example.com');
    expect(apiUrlText(normalizeApiUrl('https://proxy.example.com/trmm/'))).toBe('https://proxy.example.com/trmm');
    const base = normalizeApiUrl('https://proxy.example.com/trmm/');
    expect(tacticalUrl(base, '/clients').toString()).toBe('https://proxy.example.com/trmm/clients/');
    expect(tacticalUrl(base, '/agents/', { client: '4' }).toString()).toBe('https://proxy.example.com/trmm/agents/?client=4');
    expect(tacticalUrl(normalizeApiUrl('https://api.example.com'), '/core/version/').toString()).toBe('https://api.example.com/core/version/');
  });
});

describe('Tactical RMM API address at save time (the network guard)', () => {
  it('https to a public address: fine', async () => {
    await expect(apiAddressProblem(new URL('https://api.example.com'), strict, resolve)).resolves.toBeNull();
  });

  it('refuses a name resolving to 127.0.0.1 unless private networks are allowed', async () => {
    await expect(apiAddressProblem(new URL('https://loop.test'), strict, resolve)).resolves.toBe(
      'loop.test resolves to 127.0.0.1, a private or loopback address, which integrations may not reach (an on-premises instance needs INTEGRATIONS_ALLOW_PRIVATE_NETWORK on this server)',
    );
    await expect(apiAddressProblem(new URL('https://loop.test'), lenient, resolve)).resolves.toBeNull();
    // One private answer among public ones is enough to refuse.
    await expect(apiAddressProblem(new URL('https://mixed.test'), strict, resolve)).resolves.toMatch(/resolves to 127\.0\.0\.1/);
  });

  it('refuses 169.254.169.254 (cloud metadata) always, as a name or a literal', async () => {
    const message = 'meta.test resolves to 169.254.169.254, a metadata address, which integrations may not reach';
    await expect(apiAddressProblem(new URL('https://meta.test'), strict, resolve)).resolves.toBe(message);
    await expect(apiAddressProblem(new URL('http://meta.test'), lenient, resolve)).resolves.toBe(message);
    await expect(apiAddressProblem(new URL('http://169.254.169.254'), lenient, resolve)).resolves.toMatch(/169\.254\.169\.254, a metadata address/);
  });

  it('plain http: only with private networks allowed, and only to a private address', async () => {
    await expect(apiAddressProblem(new URL('http://api.lan.test'), strict, resolve)).resolves.toBe(httpsRequired);
    await expect(apiAddressProblem(new URL('http://api.lan.test'), lenient, resolve)).resolves.toBeNull();
    await expect(apiAddressProblem(new URL('http://api.example.com'), lenient, resolve)).resolves.toBe(httpsRequired);
  });

  it('a name that does not resolve: said so', async () => {
    await expect(apiAddressProblem(new URL('https://nowhere.test'), strict, resolve)).resolves.toBe('The host name nowhere.test does not resolve; check the API URL');
  });
});
