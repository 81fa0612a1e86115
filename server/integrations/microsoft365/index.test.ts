import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createRegistry } from '../registry.js';
import { microsoft365Plugin } from './index.js';
import { seedM365Partner } from './fakeSeed.js';

describe('the Microsoft 365 plugin as the registry sees it', () => {
  it('passes the registry checks (fields, logo, action ids and schemas); only revoke is side-effectful', () => {
    expect(createRegistry([microsoft365Plugin]).get('microsoft365')?.capabilities).toEqual(new Set(['listOrganizations', 'actions', 'oauth']));
    expect(microsoft365Plugin.actions?.map((a) => [a.id, a.sideEffectful])).toEqual([
      ['microsoft365.tenants.list', false],
      ['microsoft365.licenses.summary', false],
      ['microsoft365.secure_score.get', false],
      ['microsoft365.users.find', false],
      ['microsoft365.users.revoke_sessions', true],
    ]);
  });

  it('validates each field by name: a partner tenant that is neither a GUID nor a domain, a Secret ID pasted as the secret', () => {
    const good = { partner_tenant_id: 'contoso.onmicrosoft.com', app_id: '00000000-0000-4000-8000-000000000001', client_secret: 'abc~def.ghi_jkl0123' };
    expect(microsoft365Plugin.validate(good)).toBeNull();
    expect(microsoft365Plugin.validate({ ...good, partner_tenant_id: 'not a tenant!' })).toEqual({ partner_tenant_id: [expect.stringContaining('GUID')] });
    expect(microsoft365Plugin.validate({ ...good, partner_tenant_id: 'common' })).toEqual({ partner_tenant_id: [expect.stringContaining('is not a tenant')] });
    expect(microsoft365Plugin.validate({ ...good, client_secret: '00000000-0000-4000-8000-000000000002', client_secret_expires: '2026-02-30' })).toEqual({
      client_secret: [expect.stringContaining('Secret ID')],
      client_secret_expires: ['Enter the date as YYYY-MM-DD'],
    });
  });

  it('asks each customer tenant’s own token endpoint; Microsoft’s hosts unless VENDOR_EMULATORS names the fake', () => {
    const fake = { setPartner: () => undefined, addTenant: () => undefined, addRelationship: () => undefined } as unknown as Parameters<typeof seedM365Partner>[0];
    const { settings } = seedM365Partner(fake, { prefix: 1, tenants: 0 });
    const real = loadConfig({});
    const partner = microsoft365Plugin.auth.grant(settings, real);
    const tenant = microsoft365Plugin.auth.grant(settings, real, '11111111-2222-4333-8444-555555555555');
    if ('problem' in partner || 'problem' in tenant) throw new Error('grant refused');
    expect(partner.token.url.href).toBe(`https://login.microsoftonline.com/${settings.partner_tenant_id}/oauth2/v2.0/token`);
    expect(tenant.token.url.href).toBe('https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555/oauth2/v2.0/token');
    expect(tenant.token.scopes).toEqual(['https://graph.microsoft.com/.default']);
    // A fake's address alone is refused at start-up: a real secret never reaches a fake by accident.
    expect(() => loadConfig({ MICROSOFT365_EMULATOR_URL: 'http://127.0.0.1:9' })).toThrow(/VENDOR_EMULATORS/);
    const pc = microsoft365Plugin.auth.grant({ ...settings, discovery: 'partner_center' }, loadConfig({ VENDOR_EMULATORS: 'true', MICROSOFT365_EMULATOR_URL: 'http://127.0.0.1:9' }));
    if ('problem' in pc) throw new Error('grant refused');
    expect(pc.token.url.href).toBe(`http://127.0.0.1:9/${settings.partner_tenant_id}/oauth2/v2.0/token`);
    expect(pc.token.scopes).toEqual(['https://api.partnercenter.microsoft.com/.default']);
  });
});
