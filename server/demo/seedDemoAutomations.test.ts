import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationRunDetail } from '../../shared/automations.js';
import { seedDemo, type DemoSeed } from '../cli/commands/seedDemo.js';
import { seedDemoVendors, startFakeVendors, type DemoVendorSeed, type FakeVendors } from '../integrations/fakeVendors.js';
import { listAutomations } from '../services/automations/automations.js';
import { getRun } from '../services/automations/runs.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { demoBackupTicketId, seedDemoAutomations } from './seedDemoAutomations.js';
import { seedDemoClients } from './seedDemoClients.js';
import { seedDemoIntegrations } from './seedDemoIntegrations.js';

/**
 * The demo's automation (issue 23 §6): the backup-failure recipe enabled for Northwind with a run
 * history of one failure and one success, both real runs through the runner against the fakes,
 * which count what they received.
 */
let fakes: FakeVendors;
let server: TestServer;
let seed: DemoSeed;
let vendors: DemoVendorSeed;
let ticketId: number;

beforeAll(async () => {
  fakes = await startFakeVendors();
  server = await createTestServer({ env: fakes.env });
  vendors = seedDemoVendors(fakes);
  seed = await seedDemo(server.deps.db);
  await seedDemoIntegrations(server.deps, seed, vendors);
  await seedDemoClients(server.deps.db, seed);
  ticketId = demoBackupTicketId(fakes);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await fakes?.close();
});

const northwind = () => seed.partners.find((p) => p.name === 'Northwind MSP')?.id as number;
const demoComments = () => fakes.syncro.ticket('northwind', ticketId)?.comments.filter((c) => c.subject === 'Backup failure') ?? [];

describe('the demo automation', () => {
  it('is the backup-failure recipe, enabled for Northwind, with a failed run then a successful one', async () => {
    const seeded = await seedDemoAutomations(server.deps, seed, { syncroTicketId: ticketId, teamsChannel: vendors.teamsChannel });
    expect(seeded.runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);

    const [automation, ...others] = await listAutomations(server.deps, northwind());
    expect(others).toEqual([]);
    expect(automation).toMatchObject({ id: seeded.automationId, name: 'Backup failure: Syncro comment + Teams post', enabled: true, version: 4, successRate: 0.5 });
    expect(automation?.lastRun).toMatchObject({ id: seeded.runs[1]?.id, status: 'succeeded' });

    const [failed, succeeded] = (await Promise.all(seeded.runs.map((r) => getRun(server.deps, northwind(), r.id)))) as [AutomationRunDetail, AutomationRunDetail];
    // Triggered by the MSP360 failure the demo recorded, with what MSP360 said.
    expect(failed.triggerData).toMatchObject({ kind: 'health', integrationKey: 'msp360', change: 'error', health: 'error', message: 'MSP360 rejected the API login or password' });
    expect(failed.automationVersion).toBe(3);
    expect(failed.steps.map((s) => [s.name, s.status])).toEqual([['summary', 'failed'], ['comment', 'succeeded'], ['teams', 'failed']]);
    expect(failed.error?.message).toMatch(/^Step teams failed: .*channel/i);
    expect(succeeded.automationVersion).toBe(4);
    expect(succeeded.steps.map((s) => [s.name, s.status])).toEqual([['summary', 'failed'], ['comment', 'succeeded'], ['teams', 'succeeded']]);
    // MSP360 is in Error in the demo: its summary is not read, and says why.
    expect(succeeded.steps[0]?.error?.message).toMatch(/MSP360/);

    // What the fakes got: a comment per run on Dataforth's ticket, one Teams post (the failed run's went nowhere).
    expect(demoComments().map((c) => [c.hidden, c.body])).toEqual([
      [true, 'The MSP360 backup summary could not be read. MSP360 (error): MSP360 rejected the API login or password'],
      [true, 'The MSP360 backup summary could not be read. MSP360 (error): MSP360 rejected the API login or password'],
    ]);
    expect(fakes.teams.posts({ channelId: vendors.teamsChannel.channelId }).map((p) => p.text)).toEqual(['Backup failure. MSP360 (error): MSP360 rejected the API login or password']);
    // Each vendor call is linked from its step through the action run.
    expect(succeeded.steps[1]?.actionRunId).toEqual(expect.any(Number));
    expect(succeeded.steps[2]?.actionRunId).toEqual(expect.any(Number));
  }, 60_000);

  it('seeds once: a restart leaves the automation and its history as they are, and calls no vendor', async () => {
    const before = await listAutomations(server.deps, northwind());
    const again = await seedDemoAutomations(server.deps, seed, { syncroTicketId: ticketId, teamsChannel: vendors.teamsChannel });
    expect(again.runs).toEqual([]);
    expect(again.automationId).toBe(before[0]?.id);
    expect(await listAutomations(server.deps, northwind())).toEqual(before);
    expect(demoComments()).toHaveLength(2);
    expect(fakes.teams.posts({ channelId: vendors.teamsChannel.channelId })).toHaveLength(1);
  });
});
