import { describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { OrganizationsError } from '../types.js';
import { seedM365Partner, tenantGuid } from './fakeSeed.js';
import { tenantsFromRelationships } from './organizations.js';
import { m365Context, m365TestSetup } from './testContext.js';

const logs = captureLogs();
const { fake, plugin } = await m365TestSetup({ discoveryPageSize: 2 });

async function walk(settings: Record<string, string>) {
  const ctx = m365Context(plugin, fake, settings, logs.log);
  const items: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await plugin.listOrganizations!(ctx, cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);
  return { items, pages };
}

describe('discovery of customer tenants', () => {
  it('GDAP: active relationships over several pages, grouped by tenant; terminated ones and their tenants left out', async () => {
    const seeded = seedM365Partner(fake, { prefix: 0x800, tenants: 4 });
    // A second active relationship for tenant 1, and tenant 4's only one terminated.
    fake.addRelationship({ id: 'rel-extra', displayName: 'GDAP extra', tenantId: seeded.tenants[0]!.id, status: 'active', endDateTime: new Date(Date.now() + 5 * 86_400_000).toISOString() });
    fake.setRelationshipStatus(`rel-${seeded.tenants[3]!.id}`, 'terminated');
    const { items } = await walk(seeded.settings);
    expect(items.map((i) => i.id).sort()).toEqual(seeded.tenants.slice(0, 3).map((t) => t.id).sort());
    // The longest-running relationship counts: tenant 1 is not flagged although one ends in 5 days.
    expect(items.find((i) => i.id === seeded.tenants[0]!.id)?.name).toBe('Customer 0001');
    // 4 active relationships at $top=2 → two Graph pages, with the partner tenant's token.
    expect(fake.requestCount({ path: '/tenantRelationships/delegatedAdminRelationships', tenant: seeded.settings.partner_tenant_id })).toBe(2);
  });

  it('flags a tenant whose last relationship ends within 30 days without auto-extension', () => {
    const now = Date.parse('2026-12-07T00:00:00Z');
    const rel = (tenantId: string, end: string, extend = 'PT0S') => ({ id: `${tenantId}-${end}`, displayName: 'x', status: 'active', endDateTime: end, autoExtendDuration: extend, customer: { tenantId, displayName: `T ${tenantId}` } });
    const out = tenantsFromRelationships([rel('a', '2026-12-20T00:00:00Z'), rel('b', '2026-12-20T00:00:00Z', 'P180D'), rel('c', '2027-06-01T00:00:00Z'), { ...rel('d', '2027-06-01T00:00:00Z'), displayName: 'MLT_auto' }], now);
    expect(out).toEqual([
      { id: 'a', name: 'T a (GDAP ends 2026-12-20)' },
      { id: 'b', name: 'T b' },
      { id: 'c', name: 'T c' },
    ]);
  });

  it('Partner Center: customers paged on the continuation token, one page per call', async () => {
    const seeded = seedM365Partner(fake, { prefix: 0x900, tenants: 5, discovery: 'partner_center' });
    const { items, pages } = await walk(seeded.settings);
    expect(items.map((i) => i.id)).toEqual(seeded.tenants.map((t) => t.id));
    expect(pages).toBe(3);
    expect(fake.requestCount({ path: '/customers' })).toBe(3);
  });

  it('an expired secret stops discovery with Microsoft’s reason in plain words', async () => {
    const seeded = seedM365Partner(fake, { prefix: 0xa00, tenants: 1 });
    fake.setSecretExpired(true);
    const error = await walk(seeded.settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrganizationsError);
    expect((error as Error).message).toContain('client secret expired');
    expect((error as Error).message).toContain('AADSTS7000222');
    fake.setSecretExpired(false);
  });

  it('a cursor it did not make is refused', async () => {
    const seeded = seedM365Partner(fake, { prefix: 0xb00, tenants: 1, discovery: 'partner_center' });
    await expect(plugin.listOrganizations!(m365Context(plugin, fake, seeded.settings, logs.log), 'bogus')).rejects.toThrow('cursor it did not make');
    expect(tenantGuid(1, 2)).toMatch(/^00000001-/);
  });
});
