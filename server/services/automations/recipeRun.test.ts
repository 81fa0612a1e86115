import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationRunDetail } from '../../../shared/automations.js';
import { seedDemo } from '../../cli/commands/seedDemo.js';
import { seedDemoClients } from '../../demo/seedDemoClients.js';
import { seedDemoIntegrations } from '../../demo/seedDemoIntegrations.js';
import { dataforthBackupTicket } from '../../demo/demoVendorRecords.js';
import { seedDemoVendors, startFakeVendors, type DemoVendorSeed, type FakeVendors } from '../../integrations/fakeVendors.js';
import { createTestServer, type TestServer } from '../../test/harness.js';
import { processRun, startAutomationWorkers } from './runner.js';

/**
 * The "done when" on the server (issue 23): in the demo world (the real Syncro, MSP360
 * and Teams plugins against their fake vendors), Northwind's admin adds the backup-failure
 * recipe, points it at Dataforth, and MSP360 breaks. The fakes, not mocks, count what they got:
 * one private comment carrying the backup summary on Dataforth's Syncro ticket and one Teams
 * post; the run history links the interaction log rows of both calls; and a crash in the middle
 * of the run, replayed, repeats neither call.
 */
let fakes: FakeVendors;
let server: TestServer;
let vendorSeed: DemoVendorSeed;
let auth: Record<string, string>;
let partnerId: number;
let ticketId: number;

const dataforthMsp360 = '00000001-0000-4000-8000-000000000003'; // company 3 at the fake (server/demo/demoClients.ts)
const request = async (method: string, url: string, payload?: unknown) => {
  const res = await server.app.inject({ method: method as 'GET', url, headers: auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};
const trpc = async (kind: 'query' | 'mutation', path: string, input: unknown) => {
  const res =
    kind === 'query'
      ? await server.app.inject({ method: 'GET', url: `/trpc/automations.${path}?input=${encodeURIComponent(JSON.stringify(input))}`, headers: auth })
      : await server.app.inject({ method: 'POST', url: `/trpc/automations.${path}`, headers: auth, payload: input as object });
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  return res.json().result.data;
};
async function finished(runId: number): Promise<AutomationRunDetail> {
  const until = Date.now() + 30_000;
  for (;;) {
    const run = (await trpc('query', 'run', { runId })) as AutomationRunDetail;
    if (!['queued', 'running'].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${runId} is still ${run.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
const comments = () => fakes.syncro.ticket('northwind', ticketId)?.comments.filter((c) => String(c.subject ?? '') === 'Backup failure') ?? [];

beforeAll(async () => {
  fakes = await startFakeVendors();
  server = await createTestServer({ env: fakes.env });
  vendorSeed = seedDemoVendors(fakes);
  const seed = await seedDemo(server.deps.db);
  await seedDemoIntegrations(server.deps, seed, vendorSeed);
  await seedDemoClients(server.deps.db, seed);
  const admin = seed.users.find((u) => u.email === 'admin@northwind.example');
  partnerId = admin?.partnerId as number;
  const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin?.email, password: admin?.password } });
  auth = { authorization: `Bearer ${login.json().token}` };
  // The walk-through's fix: MSP360 Active with the right password.
  const detail = await request('GET', '/api/integrations/msp360');
  await request('POST', '/api/integrations/msp360/reconfigure', { settings: { api_login: detail.settings.api_login, [vendorSeed.fix.field]: vendorSeed.fix.value }, baseVersion: detail.state.version });
  expect((await request('POST', '/api/integrations/msp360/test', {})).detail.state.status).toBe('Active');
  ticketId = (fakes.syncro.tickets('northwind').find((t) => t.subject === dataforthBackupTicket.subject) as { id: number }).id;
}, 120_000);
afterAll(async () => {
  await server?.close();
  await fakes?.close();
});

describe('the backup-failure recipe in the demo world', () => {
  it('adds in two clicks, runs when MSP360 breaks: one Syncro comment with the summary, one Teams post, both in the interaction log', async () => {
    const clients = (await request('GET', '/api/clients')) as { items: { id: number; name: string }[] };
    const dataforth = clients.items.find((c) => c.name === 'Dataforth Corp.') as { id: number };
    await request('POST', '/api/integrations/msp360/mappings', { clientId: dataforth.id, externalOrgId: dataforthMsp360, externalOrgName: 'Dataforth Corp' });
    await request('POST', '/api/integrations/syncro/mappings', { clientId: dataforth.id, externalOrgId: String(dataforthBackupTicket.syncroCustomerId), externalOrgName: 'Dataforth' });

    const { items } = (await trpc('query', 'recipes', undefined)) as { items: { id: string }[] };
    expect(items.map((r) => r.id)).toEqual(['backup-failure', 'disk-full', 'huntress-incident']);
    const added = await trpc('mutation', 'addRecipe', { recipeId: 'backup-failure' });
    expect(added).toMatchObject({ enabled: false, version: 1 });
    // Adjusted to this partner: Dataforth, its backup ticket, the service-desk channel.
    const [summary, comment, teams] = added.steps;
    const steps = [
      { ...summary, input: { clientId: dataforth.id } },
      { ...comment, input: { ...comment.input, clientId: dataforth.id, ticketId: String(ticketId) } },
      { ...teams, input: { ...teams.input, channelId: vendorSeed.teamsChannel.channelId, teamId: vendorSeed.teamsChannel.teamId } },
    ];
    const updated = await trpc('mutation', 'update', { id: added.id, baseVersion: 1, name: added.name, trigger: added.trigger, concurrency: 1, steps });
    await trpc('mutation', 'setEnabled', { id: added.id, enabled: true, baseVersion: updated.version });
    await startAutomationWorkers(server.deps);
    fakes.syncro.resetCounts();

    // MSP360 breaks: the API login loses access to Users (Degraded); the summary still reads.
    fakes.msp360.setFaults({ missingPermissions: ['Users'] });
    expect((await request('POST', '/api/integrations/msp360/test', {})).detail.state.health).toBe('degraded');
    let runId = 0;
    for (const until = Date.now() + 20_000; runId === 0 && Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      runId = ((await trpc('query', 'runs', { automationId: added.id })) as { items: { id: number }[] }).items[0]?.id ?? 0;
    }
    const run = await finished(runId);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([['summary', 'succeeded', 1], ['comment', 'succeeded', 1], ['teams', 'succeeded', 1]]);

    expect(fakes.syncro.writeCount({ route: 'comment', tenant: 'northwind' })).toBe(1);
    const [posted] = comments();
    expect(comments()).toHaveLength(1);
    expect(posted?.hidden).toBe(true);
    expect(posted?.body).toMatch(/^Backups of Dataforth Corp\.: [1-9]\d* of \d+ jobs failed \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)\. MSP360 \(degraded\): The MSP360 API login may not read Users/);
    const posts = fakes.teams.posts({ channelId: vendorSeed.teamsChannel.channelId });
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toMatch(/^Backup failure at Dataforth Corp\.: [1-9]\d* failed jobs\. MSP360 \(degraded\): The MSP360 API login may not read Users/);

    // Each side-effectful step's vendor call is in the interaction log under its action run.
    await server.interactionLog.flush();
    for (const [key, step] of [['syncro', run.steps[1]], ['teams', run.steps[2]]] as const) {
      const log = (await request('GET', `/api/integrations/${key}/interactions`)) as { items: { externalRef: string | null; method: string; outcome: string }[] };
      expect(log.items.filter((i) => i.externalRef === `action_run:${step?.actionRunId}`).map((i) => [i.method, i.outcome]), key).toContainEqual(['POST', 'ok']);
    }

    // A crash after both vendors answered but before the steps were recorded, then the job's retry.
    await server.deps.db.pool.query(`UPDATE automation_run_steps SET status = 'running', output = NULL, finished_at = NULL WHERE partner_id = $1 AND run_id = $2 AND step_index >= 1`, [partnerId, runId]);
    await server.deps.db.pool.query(`UPDATE automation_runs SET status = 'running', next_step = 1, job_id = 'killed', lease_until = now() + interval '1 hour', finished_at = NULL WHERE partner_id = $1 AND id = $2`, [partnerId, runId]);
    await processRun(server.deps, { partnerId, runId }, { jobId: 'killed', signal: new AbortController().signal });
    const replayed = await finished(runId);
    expect(replayed.status).toBe('succeeded');
    expect(replayed.steps.map((s) => s.output)).toEqual(run.steps.map((s) => s.output));
    expect(fakes.syncro.writeCount({ route: 'comment', tenant: 'northwind' })).toBe(1);
    expect(comments()).toHaveLength(1);
    expect(fakes.teams.posts({ channelId: vendorSeed.teamsChannel.channelId })).toHaveLength(1);
    fakes.msp360.resetFaults();
  }, 90_000);
});
