import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { checkLogoSvg } from '../logoSvg.js';
import { ninjaGrant, ninjaonePlugin } from './index.js';
import { ninjaHost, readScopes, scopesProblem, settingsProblems } from './settings.js';

const good = { instance: 'eu', client_id: 'abc123', client_secret: 's3cr3t', scopes: 'monitoring management', grant: 'client_credentials' };

describe('NinjaOne settings', () => {
  it('good settings have no problems; scopes and grant may be left empty', () => {
    expect(ninjaonePlugin.validate(good)).toBeNull();
    expect(ninjaonePlugin.validate({ ...good, scopes: '', grant: '' })).toBeNull();
    expect(readScopes('')).toEqual(['monitoring']);
    expect(readScopes(' management  monitoring management ')).toEqual(['monitoring', 'management']);
  });

  it('every bad field gets its own message', () => {
    expect(ninjaonePlugin.validate({ instance: 'https://evil.example', client_id: '', client_secret: 'has space', scopes: 'monitoring admin', grant: 'password' })).toEqual({
      instance: ['Choose your NinjaOne instance: app, us2, eu, ca, oc'],
      client_id: ['Client ID is required'],
      client_secret: ['The client secret is a single word without spaces'],
      scopes: ['Unknown scope "admin": use monitoring, management, control'],
      grant: ['Choose the app type: API Services (machine-to-machine) or a regular web app'],
    });
  });

  it('offline_access is refused for client credentials, and left to us for a web app', () => {
    expect(scopesProblem('monitoring offline_access')).toContain('NinjaOne refuses it for API Services (client credentials) apps');
    expect(scopesProblem('monitoring offline_access', 'authorization_code')).toContain('requested automatically for a regular web app');
    expect(settingsProblems({ ...good, scopes: 'offline_access' })).toHaveProperty('scopes');
  });

  it("the host is the instance's, or the emulator only with VENDOR_EMULATORS", () => {
    expect(ninjaHost('eu', loadConfig({})).origin).toBe('https://eu.ninjarmm.com');
    expect(ninjaHost('app', loadConfig({ VENDOR_EMULATORS: 'true', NINJAONE_BASE_URL: 'http://127.0.0.1:9999/' })).href).toBe('http://127.0.0.1:9999/');
  });

  it('auth: token and authorize URLs from the instance; exactly the scopes, offline_access only for a web app', () => {
    const config = loadConfig({});
    const cc = ninjaGrant(good, config);
    expect(cc).toMatchObject({ kind: 'oauth2ClientCredentials', token: { clientId: 'abc123', clientAuth: 'post', scopes: ['monitoring', 'management'] } });
    expect('token' in cc && cc.token.url.href).toBe('https://eu.ninjarmm.com/ws/oauth/token');
    const code = ninjaGrant({ ...good, instance: 'oc', scopes: 'monitoring', grant: 'authorization_code' }, config);
    expect(code).toMatchObject({ kind: 'oauth2AuthorizationCode', token: { scopes: ['monitoring', 'offline_access'] } });
    expect('authorizeUrl' in code && code.authorizeUrl.href).toBe('https://oc.ninjarmm.com/ws/oauth/authorize');
    expect(ninjaGrant({ ...good, client_secret: '' }, config)).toEqual({ problem: 'NinjaOne settings are not valid: Client secret is required' });
    expect(ninjaonePlugin.auth.grants).toEqual(['oauth2ClientCredentials', 'oauth2AuthorizationCode']);
    expect(ninjaonePlugin.meta).toMatchObject({ key: 'ninjaone', name: 'NinjaOne', provider: 'NinjaOne', category: 'Rmm' });
  });

  it('the logo passes the registry check', () => {
    expect(checkLogoSvg(ninjaonePlugin.logoSvg ?? '')).toMatchObject({ ok: true });
  });
});
