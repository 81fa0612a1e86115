import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActionPlugin, startLoopbackVendor, type LoopbackVendor } from '../../../server/integrations/testing/actionPlugin.js';
import { startAutomationWorkers } from '../../../server/services/automations/runner.js';
import { validSettings } from '../../../server/test/catalogWorld.js';
import type { AutomationRunDetail } from '../../../shared/automations.js';
import { openCore, removeDir, SyncServer, type CoreHandle, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';
import { automationsNeedServer } from './automations.js';

// Automations through the desktop core, over the real server, PostgreSQL, its job queue and the
// loopback ticketdesk vendor (which counts the comments it got): a bad template refused with the
// step and field named and nothing saved; a manual run with its steps; technicians read and are
// refused edits; offline the copies last read, marked as such, and runs refused (nothing queued);
// the dev partner reads a partner it views, read only.

let desk: LoopbackVendor;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
let ops: SyncUser;
const opened: CoreHandle[] = [];

const definition = (name: string) => ({
  name,
  enabled: true,
  trigger: { kind: 'manual' as const, inputs: [{ name: 'note', type: 'string' as const, required: true }] },
  steps: [
    { name: 'read', actionId: 'ticketdesk.tickets.get', input: { ticketId: '101' } },
    { name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '{{steps.read.output.ticket.id}}', body: 'Note: {{trigger.input.note}}' } },
  ],
});

beforeAll(async () => {
  desk = await startLoopbackVendor();
  server = await SyncServer.start([createActionPlugin(desk).plugin], { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' });
  const partner = await server.partner();
  admin = await server.user(partner.id);
  tech = await server.user(partner.id, 'partner_user');
  ops = await server.user((await server.partner({ name: 'Platform', isDev: true })).id);
  const configured = await server.rest('POST', '/api/integrations/ticketdesk/configure', admin, { settings: validSettings({ base_url: desk.url }) });
  expect(configured.status, JSON.stringify(configured.json())).toBe(201);
  await server.deps.jobs.start();
  await startAutomationWorkers(server.deps);
}, 60_000);
afterEach(async () => {
  if (!server.app) await server.up();
  for (const h of opened.splice(0)) {
    await h.close();
    await removeDir(h.dir);
  }
});
afterAll(async () => {
  await server?.close();
  await desk?.close();
});

async function signedIn(user: SyncUser): Promise<CoreHandle> {
  const h = await openCore(server.url);
  opened.push(h);
  await h.core.services.session.login({ email: user.email, password: user.password });
  await waitFor(() => h.core.services.sync.status().lastSyncedAt);
  return h;
}

async function finished(h: CoreHandle, runId: number): Promise<AutomationRunDetail> {
  const until = Date.now() + 20_000;
  for (;;) {
    const { run } = await h.core.services.automations.run(runId);
    if (!['queued', 'running'].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${runId} is still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('automations in the desktop core', () => {
  it('refuses a step whose template reads a later step, naming the step and field, and saves nothing', async () => {
    const api = (await signedIn(admin)).core.services.automations;
    const bad = definition('Broken');
    bad.steps[1] = { ...bad.steps[1]!, input: { ticketId: '{{steps.later.output.id}}', body: 'x' } };
    const refused = await api.create(bad).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED' });
    const fields = (refused as { fields?: Record<string, string[]> }).fields ?? {};
    expect(fields['steps.1.input.ticketId']?.join(' ')).toMatch(/Step post.*later/);
    expect((await api.list()).items.map((a) => a.name)).not.toContain('Broken');
  });

  it('saves, runs by hand with its input, and shows the run with each step; the vendor got one comment', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.automations;
    const made = await api.create(definition('Note the ticket'));
    const before = desk.comments.length;
    const { runId } = await api.runNow({ id: made.id, input: { note: 'from the core test' } });
    const run = await finished(h, runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ['read', 'succeeded'],
      ['post', 'succeeded'],
    ]);
    expect(run.steps[1]?.input).toMatchObject({ ticketId: '101', body: 'Note: from the core test' });
    expect(desk.comments.length).toBe(before + 1);
    const listed = await api.list();
    expect(listed.fromCache).toBe(false);
    expect(listed.items.find((a) => a.id === made.id)?.lastRun).toMatchObject({ id: runId, status: 'succeeded' });
    const runs = await api.runs({ automationId: made.id, status: 'succeeded' });
    expect(runs.items.map((r) => r.id)).toContain(runId);
    expect((await api.runs({ automationId: made.id, status: 'failed' })).items).toEqual([]);
  });

  it('lets a technician read but not edit or run', async () => {
    const adminApi = (await signedIn(admin)).core.services.automations;
    const made = await adminApi.create({ ...definition('Read by the technician'), enabled: false });
    const api = (await signedIn(tech)).core.services.automations;
    expect((await api.get(made.id)).automation.name).toBe('Read by the technician');
    expect((await api.recipes()).items.map((r) => r.id)).toContain('backup-failure');
    await expect(api.runNow({ id: made.id, input: { note: 'x' } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Only partner admins edit and run automations' });
    await expect(api.setEnabled({ id: made.id, enabled: true, baseVersion: made.version })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('offline, answers the copies last read with their time, and refuses changes and runs without queuing them', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.automations;
    const made = await api.create(definition('Read offline'));
    const { runId } = await api.runNow({ id: made.id, input: { note: 'before the outage' } });
    await finished(h, runId);
    const online = await api.list();
    await api.get(made.id);
    await api.runs({ automationId: made.id });
    const comments = desk.comments.length;

    await server.down();
    const list = await api.list();
    expect(list.fromCache).toBe(true);
    expect(list.fetchedAt).toBe(online.fetchedAt);
    expect(list.items.map((a) => a.id)).toContain(made.id);
    expect((await api.get(made.id)).fromCache).toBe(true);
    const runs = await api.runs({ automationId: made.id });
    expect([runs.fromCache, runs.items.map((r) => r.id)]).toEqual([true, [runId]]);
    expect((await api.run(runId)).run.steps).toHaveLength(2);
    // Never read here: said so, not an empty list.
    await expect(api.runs({ automationId: made.id, status: 'dead' })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/needs a connection/) });
    await expect(api.runNow({ id: made.id, input: { note: 'offline' } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    await server.up();
    await waitFor(() => h.core.services.sync.status().connection === 'online', 15_000);
    // Nothing was kept to send later: the vendor got no comment from the refused run.
    await new Promise((r) => setTimeout(r, 500));
    expect(desk.comments.length).toBe(comments);
    expect((await api.runs({ automationId: made.id })).items.map((r) => r.id)).toEqual([runId]);
  });

  it('says plainly offline that changes need the server', async () => {
    const h = await signedIn(admin);
    await server.down();
    await waitFor(() => h.core.services.sync.status().connection === 'offline', 15_000);
    await expect(h.core.services.automations.addRecipe('backup-failure')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: automationsNeedServer });
  });

  it('lets the dev partner read a partner it views, read only', async () => {
    const adminApi = (await signedIn(admin)).core.services.automations;
    await adminApi.create({ ...definition('Seen by the operator'), enabled: false });
    const h = await signedIn(ops);
    expect((await h.core.services.automations.list()).items).toEqual([]);
    await h.core.services.session.switchPartner(admin.partnerId);
    const viewed = await h.core.services.automations.list();
    const seen = viewed.items.find((a) => a.name === 'Seen by the operator');
    expect(seen).toBeDefined();
    expect((await h.core.services.automations.get(seen?.id ?? 0)).automation.name).toBe('Seen by the operator');
    await expect(h.core.services.automations.runNow({ id: seen?.id ?? 0, input: {} })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
