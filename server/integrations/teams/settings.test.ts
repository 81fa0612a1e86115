import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createTeamsPlugin } from './index.js';
import { appIdProblem, botTypeProblem, clientSecretProblem, readTeamsSettings, serviceRegionProblem, serviceUrl, tenantIdProblem, tokenUrl } from './settings.js';

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const app = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const good = { tenant_id: tenant, app_id: app, client_secret: 'Abc8Q~secret.value_-1234567890abcdefghij', bot_type: 'single_tenant', service_region: 'emea' };
const plugin = createTeamsPlugin();

describe('Teams settings', () => {
  it('accepts a tenant GUID or a verified domain, and refuses the multi-tenant aliases by name', () => {
    expect(tenantIdProblem(tenant)).toBeNull();
    expect(tenantIdProblem('contoso.onmicrosoft.com')).toBeNull();
    expect(tenantIdProblem('contoso.com')).toBeNull();
    expect(tenantIdProblem('')).toBe('Tenant ID is required');
    for (const alias of ['common', 'organizations', 'Consumers', 'botframework.com']) expect(tenantIdProblem(alias)).toMatch(/is not a tenant.*Multi tenant/);
    expect(tenantIdProblem('https://login.microsoftonline.com/contoso.com')).toBe('Enter only the tenant ID or domain, not a URL');
    expect(tenantIdProblem('contoso')).toMatch(/Directory \(tenant\) ID/);
    expect(tenantIdProblem('72f988bf-86f1-41af-91ab')).toMatch(/Directory \(tenant\) ID/);
  });

  it('app id: a GUID only; secret: a word, never a Secret ID, never echoed', () => {
    expect(appIdProblem(app)).toBeNull();
    expect(appIdProblem('my-bot')).toMatch(/is a GUID/);
    expect(appIdProblem(undefined)).toBe('Microsoft App ID is required');
    expect(clientSecretProblem(good.client_secret)).toBeNull();
    expect(clientSecretProblem('two words')).toBe('The client secret is a single word without spaces');
    expect(clientSecretProblem(app)).toMatch(/Secret ID: paste its Value/);
    expect(clientSecretProblem('x'.repeat(257))).toBe('The client secret is at most 256 characters');
    expect(clientSecretProblem('has space secret')).not.toContain('has space');
  });

  it('bot type and region: the listed values, or unset for the defaults', () => {
    expect(botTypeProblem(undefined)).toBeNull();
    expect(botTypeProblem('multi_tenant')).toBeNull();
    expect(botTypeProblem('common')).toMatch(/Choose the bot type/);
    expect(serviceRegionProblem('apac')).toBeNull();
    expect(serviceRegionProblem('https://evil.example/')).toBe('Choose a Bot Framework region from the list');
    expect(serviceRegionProblem('toString')).toBe('Choose a Bot Framework region from the list');
    expect(readTeamsSettings({ ...good, bot_type: undefined, service_region: undefined })).toMatchObject({ botType: 'single_tenant', region: 'global', tenantGuid: tenant });
    expect(readTeamsSettings({ ...good, tenant_id: 'Contoso.onmicrosoft.com' })).toMatchObject({ tenantId: 'contoso.onmicrosoft.com', tenantGuid: undefined });
  });

  it('validate: a field error for every bad input at once', () => {
    expect(plugin.validate(good)).toBeNull();
    const errors = plugin.validate({ tenant_id: 'common', app_id: 'x', client_secret: '', bot_type: 'other', service_region: 'mars' });
    expect(Object.keys(errors ?? {}).sort()).toEqual(['app_id', 'bot_type', 'client_secret', 'service_region', 'tenant_id']);
  });

  it('the field patterns agree with the problem functions', () => {
    const pattern = (key: string) => {
      const field = plugin.meta.fields.find((f) => f.key === key);
      return new RegExp(field && 'pattern' in field && field.pattern ? field.pattern.regex : '^$');
    };
    expect(pattern('tenant_id').test(tenant) && pattern('tenant_id').test('contoso.onmicrosoft.com')).toBe(true);
    expect(pattern('tenant_id').test('contoso')).toBe(false);
    expect(pattern('app_id').test(app) && !pattern('app_id').test('bot')).toBe(true);
  });
});

describe('Teams endpoints', () => {
  it('the bot type picks the token path: the tenant for single tenant, botframework.com for multi tenant', () => {
    expect(tokenUrl({ tenantId: tenant, botType: 'single_tenant' }, undefined).href).toBe(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`);
    expect(tokenUrl({ tenantId: tenant, botType: 'multi_tenant' }, undefined).href).toBe('https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token');
    expect(tokenUrl({ tenantId: 'contoso.com', botType: 'single_tenant' }, 'http://127.0.0.1:9/').href).toBe('http://127.0.0.1:9/contoso.com/oauth2/v2.0/token');
  });

  it('the region picks the service URL; an emulator keeps the region path', () => {
    expect(serviceUrl('global', undefined).href).toBe('https://smba.trafficmanager.net/teams/');
    expect(serviceUrl('amer', undefined).href).toBe('https://smba.trafficmanager.net/amer/');
    expect(serviceUrl('emea', 'http://127.0.0.1:9').href).toBe('http://127.0.0.1:9/emea/');
  });

  it('auth.grant: client credentials posted to Microsoft with the Bot Framework scope; the emulator only with VENDOR_EMULATORS', () => {
    const production = plugin.auth.grant(good, loadConfig({}));
    expect(production).toEqual({
      kind: 'oauth2ClientCredentials',
      token: { url: new URL(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`), clientId: app, clientSecret: good.client_secret, clientAuth: 'post', scopes: ['https://api.botframework.com/.default'] },
    });
    const emulated = plugin.auth.grant({ ...good, bot_type: 'multi_tenant' }, loadConfig({ VENDOR_EMULATORS: 'true', MICROSOFT_LOGIN_BASE_URL: 'http://127.0.0.1:9' }));
    expect('token' in emulated && emulated.token.url.href).toBe('http://127.0.0.1:9/botframework.com/oauth2/v2.0/token');
    expect(() => loadConfig({ MICROSOFT_LOGIN_BASE_URL: 'http://127.0.0.1:9' })).toThrow();
    expect(plugin.auth.grant({ ...good, tenant_id: 'common' }, loadConfig({}))).toEqual({ problem: expect.stringMatching(/is not a tenant/) });
    expect(plugin.auth.grants).toEqual(['oauth2ClientCredentials']);
  });
});
