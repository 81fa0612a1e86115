import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../shared/integrations/fields.js';
import { captureLogs } from '../test/logCapture.js';
import { demoLargeOrganizations, startFakeVendors, seedDemoVendors, type FakeVendors } from './fakeVendors.js';
import { createMicrosoft365Plugin } from './microsoft365/index.js';
import { createMsp360Plugin } from './msp360/index.js';
import { createSyncroPlugin } from './syncro/index.js';
import { createHuntressPlugin } from './huntress/index.js';
import { createLevelPlugin } from './levelio/index.js';
import { createTacticalPlugin } from './tacticalrmm/index.js';
import { actionContext } from './test/actionContext.js';
import { pluginContext } from './test/pluginContext.js';
import { dataforthBackupTicket } from '../demo/demoVendorRecords.js';
import { demoClientWorlds } from '../demo/demoClients.js';

let fakes: FakeVendors;
const plugins = { syncro: createSyncroPlugin(), msp360: createMsp360Plugin(), huntress: createHuntressPlugin(), tacticalrmm: createTacticalPlugin(), levelio: createLevelPlugin() };
const logs = captureLogs();

beforeAll(async () => {
  fakes = await startFakeVendors();
});
afterAll(async () => {
  await Promise.all(Object.values(plugins).map((p) => p.close()));
  await fakes.close();
});

describe('the demo vendors', () => {
  it('give each demo partner the health the seed promises, and the fix works', async () => {
    const seed = seedDemoVendors(fakes);
    for (const [index, partner] of seed.partners.entries()) {
      for (const key of ['syncro', 'msp360', 'huntress', 'tacticalrmm', 'levelio'] as const) {
        const settings = partner.settings[key];
        if (!settings) continue;
        // What the seed stores is valid input, as if an admin had typed it.
        expect(settingsSchema(plugins[key].meta.fields, 'create').safeParse(settings).success).toBe(true);
        const result = await plugins[key].healthCheck(pluginContext({ settings, log: logs.log, env: fakes.env, partnerId: index + 2 }));
        expect(result.status, `${partner.partner} ${key}: ${result.status === 'ok' ? '' : result.message}`).toBe(partner.expect[key]);
        if (partner.partner === 'northwind' && key === 'msp360') expect(result).toEqual({ status: 'error', message: 'MSP360 rejected the API login or password' });
      }
      // Issue 17: each new vendor shows a different state across the two partners.
      expect(new Set(seed.partners.map((p) => p.expect.huntress)).size).toBe(2);
      expect(new Set(seed.partners.map((p) => p.expect.tacticalrmm)).size).toBe(2);
      expect(new Set(seed.partners.map((p) => p.expect.levelio)).size).toBe(2);
    }

    const northwind = seed.partners.find((p) => p.partner === 'northwind');
    const fixed = { ...northwind?.settings.msp360, [seed.fix.field]: seed.fix.value };
    const after = await plugins.msp360.healthCheck(pluginContext({ settings: fixed, log: logs.log, env: fakes.env, partnerId: 2 }));
    expect(after).toEqual({ status: 'ok', message: `Signed in to MSP360: ${demoLargeOrganizations} companies and 23 users readable` });
  });

  it('give Northwind Microsoft 365 with 30 customer tenants, Active until mapped, Harbor Dental without consent', async () => {
    const seed = seedDemoVendors(fakes);
    const settings = seed.partners.find((p) => p.partner === 'northwind')?.settings.microsoft365 ?? {};
    const m365 = createMicrosoft365Plugin();
    try {
      expect(settingsSchema(m365.meta.fields, 'create').safeParse(settings).success).toBe(true);
      const ctx = pluginContext({ settings, log: logs.log, env: fakes.env, auth: m365.auth });
      expect((await m365.healthCheck(ctx)).status).toBe('ok');
      expect((await m365.listOrganizations!(ctx, null)).items).toHaveLength(30);
      const { dataforth, dataforthEu, harborDental } = seed.microsoft365Tenants;
      ctx.allMappedOrganizations = async () => [dataforth, dataforthEu, harborDental].map((id) => ({ id, name: id, clientId: 1, missingAtVendor: false }));
      expect(await m365.healthCheck(ctx)).toEqual({ status: 'degraded', message: '1 of 3 tenants: consent missing' });
    } finally {
      await m365.close();
    }
  });

  it('count requests per path and tenant for schedulers and benchmarks', async () => {
    fakes.syncro.resetCounts();
    const seed = seedDemoVendors(fakes);
    const settings = seed.partners[0]?.settings.syncro ?? {};
    await plugins.syncro.healthCheck(pluginContext({ settings, log: logs.log, env: fakes.env }));
    expect(fakes.syncro.requestCount({ tenant: 'northwind' })).toBe(3);
    expect(fakes.syncro.requestCount({ path: '/me' })).toBe(1);
    expect(fakes.syncro.requestCount({ tenant: 'contoso' })).toBe(0);
  });
});

describe('the demo vendors\' records (issue 15)', () => {
  it("give Dataforth its open backup ticket at Syncro and a recent failure among its MSP360 plans, and every named customer tickets", async () => {
    const seed = seedDemoVendors(fakes);
    const northwind = seed.partners.find((p) => p.partner === 'northwind');
    // As the walk-through maps them: the client "Dataforth Corp." to Syncro customer 9 and MSP360 company 3.
    const syncroCtx = actionContext({
      settings: northwind?.settings.syncro ?? {},
      log: logs.log,
      env: fakes.env,
      mappings: { 1: [{ id: '9', name: 'DATAFORTH CORPORATION', clientName: 'Dataforth Corp.' }] },
    });
    const find = plugins.syncro.actions?.find((a) => a.id === 'syncro.tickets.find');
    const found = (await find?.run(syncroCtx, { clientId: 1, query: 'backup', limit: 25 }))?.output as { tickets: { subject: string; status: string }[] };
    expect(found.tickets).toEqual([expect.objectContaining({ subject: dataforthBackupTicket.subject, status: 'In Progress' })]);

    const msp360Ctx = actionContext({
      settings: { ...northwind?.settings.msp360, [seed.fix.field]: seed.fix.value },
      log: logs.log,
      env: fakes.env,
      partnerId: 2,
      mappings: { 1: [{ id: '00000001-0000-4000-8000-000000000003', name: 'Dataforth Corp', clientName: 'Dataforth Corp.' }] },
    });
    const summarize = plugins.msp360.actions?.find((a) => a.id === 'msp360.reports.backup_summary');
    const summary = (await summarize?.run(msp360Ctx, { clientId: 1 }))?.output as { totals: { failures: number; successes: number }; text: string };
    expect(summary.totals.failures).toBeGreaterThanOrEqual(1);
    expect(summary.totals.successes).toBeGreaterThanOrEqual(2);
    expect(summary.text).toContain('FAILED DF-FS01');

    for (const [world, subdomain] of [['northwind', 'northwind'], ['contoso', 'contoso']] as const) {
      const customers = new Set(fakes.syncro.tickets(subdomain).map((t) => t.customer_id));
      for (const id of Object.keys(demoClientWorlds[world].syncro)) expect(customers.has(Number(id)), `${world} customer ${id}`).toBe(true);
    }
  });
});
