import type { FakeM365Tenant, FakeMicrosoft365 } from './fakeServer.js';

/**
 * A partner and its customer tenants at the Microsoft 365 fake, for tests, the demo and the
 * bench: deterministic ids, a GDAP relationship per tenant (ending in a year), and the settings
 * the plugin needs to reach them.
 */
export const tenantGuid = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export interface SeededPartner {
  settings: { partner_tenant_id: string; app_id: string; client_secret: string; discovery: string };
  tenants: FakeM365Tenant[];
}

export function seedM365Partner(
  fake: FakeMicrosoft365,
  options: { prefix: number; tenants: number; names?: (i: number) => string; discovery?: 'gdap' | 'partner_center'; now?: number },
): SeededPartner {
  const partnerTenant = tenantGuid(options.prefix, 0);
  const appId = tenantGuid(options.prefix + 1, 0xa99);
  const secret = `fake~secret.${options.prefix.toString(36)}_0123456789abcdefghij`;
  fake.setPartner({ tenantId: partnerTenant, domain: `partner${options.prefix}.onmicrosoft.com`, appId, secret });
  const yearOut = new Date((options.now ?? Date.now()) + 365 * 86_400_000).toISOString();
  const tenants: FakeM365Tenant[] = [];
  for (let i = 1; i <= options.tenants; i++) {
    const id = tenantGuid(options.prefix, i);
    const name = options.names?.(i) ?? `Customer ${String(i).padStart(4, '0')}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 20) || `c${i}`;
    const tenant: FakeM365Tenant = {
      id,
      displayName: name,
      domain: `${slug}${i}.onmicrosoft.com`,
      users: [
        { id: tenantGuid(options.prefix + 2, i * 10 + 1), displayName: 'Adele Vance', userPrincipalName: `adele@${slug}${i}.onmicrosoft.com` },
        { id: tenantGuid(options.prefix + 2, i * 10 + 2), displayName: 'Megan Bowen', userPrincipalName: `megan@${slug}${i}.onmicrosoft.com` },
      ],
      skus: [
        { skuPartNumber: 'O365_BUSINESS_PREMIUM', consumedUnits: 10 + (i % 7), enabled: 20 },
        { skuPartNumber: 'EMS', consumedUnits: 5, enabled: 5, warning: i % 3 === 0 ? 2 : 0 },
      ],
      secureScore: { currentScore: 30 + (i % 50), maxScore: 100 },
    };
    fake.addTenant(tenant);
    fake.addRelationship({ id: `rel-${id}`, displayName: `GDAP ${name}`, tenantId: id, status: 'active', endDateTime: yearOut, autoExtendDuration: 'PT0S' });
    tenants.push(tenant);
  }
  return { settings: { partner_tenant_id: partnerTenant, app_id: appId, client_secret: secret, discovery: options.discovery ?? 'gdap' }, tenants };
}
