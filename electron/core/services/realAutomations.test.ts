import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionPlugin, startLoopbackVendor, type LoopbackVendor } from '../../../server/integrations/testing/actionPlugin.js';
import { startAutomationWorkers } from '../../../server/services/automations/runner.js';
import { validSettings } from '../../../server/test/catalogWorld.js';
import type { AutomationRunDetail } from '../../../shared/automations.js';
import { coresOf } from '../test/cores.js';
import { SyncServer, type CoreHandle, type SyncUser } from '../test/syncHarness.js';
import { waitFor } from '../test/waitFor.js';
import { automationsNeedServer } from './automations.js';

// Automations through the desktop core, over the real server, PostgreSQL, its job queue and the
// loopback ticketdesk vendor (which counts the comments it got): a bad template refused with the
// step and field named and nothing saved; a manual run with its steps; technicians read and are
// refused edits; offline the copies last read, marked as such, and runs refused (nothing queued);
// edits and new automations made offline kept and sent once on reconnect, conflicts and refusals
// kept beside the edit; the dev partner reads a partner it views, read only.

let desk: LoopbackVendor;
let server: SyncServer;
let admin: SyncUser;
let tech: SyncUser;
let ops: SyncUser;
const cores = coresOf(() => server);

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
afterAll(async () => {
  await server?.close();
  await desk?.close();
});

/** The definition alone (what an update sends with its id and base version). */
const definitionOnly = (name: string) => {
  const { enabled: _enabled, ...rest } = definition(name);
  return rest;
};

interface ServerAutomation {
  id: number;
  name: string;
  version: number;
  enabled: boolean;
}
const onServer = async (id: number) => (await server.rest('GET', `/api/automations/${id}`, admin)).json() as ServerAutomation;
const versionsOnServer = async (id: number) => ((await server.rest('GET', `/api/automations/${id}/versions`, admin)).json() as { items: { version: number; change: string }[] }).items;
const namedOnServer = async (name: string) => ((await server.rest('GET', '/api/automations', admin)).json() as { items: ServerAutomation[] }).items.filter((a) => a.name === name);

async function offline(h: CoreHandle): Promise<void> {
  await server.down();
  await waitFor(() => h.core.services.sync.status().connection === 'offline', 15_000);
}

const signedIn = (user: SyncUser) => cores.signedIn(user);

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
    const techCore = await signedIn(tech);
    const api = techCore.core.services.automations;
    expect((await api.get(made.id)).automation.name).toBe('Read by the technician');
    expect((await api.recipes()).items.map((r) => r.id)).toContain('backup-failure');
    await expect(api.runNow({ id: made.id, input: { note: 'x' } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Only partner admins edit and run automations' });
    await expect(api.setEnabled({ id: made.id, enabled: true, baseVersion: made.version })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Offline too: a technician keeps no edit.
    await offline(techCore);
    await expect(api.update({ ...definitionOnly('Renamed by the technician'), id: made.id, baseVersion: made.version })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(api.drafts()).toEqual([]);
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

  it('keeps an edit made offline, shows it pending, and sends it once when the server is back', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.automations;
    const made = await api.create({ ...definition('Kept offline'), enabled: false });
    await api.list();
    await api.get(made.id);
    await offline(h);

    const saved = await api.update({ ...definitionOnly('Kept offline, renamed'), id: made.id, baseVersion: made.version });
    expect(saved).toMatchObject({ id: made.id, name: 'Kept offline, renamed', version: made.version, pending: { state: 'queued' } });
    expect((await api.list()).items.find((a) => a.id === made.id)).toMatchObject({ name: 'Kept offline, renamed', pending: { state: 'queued' } });
    expect((await api.get(made.id)).automation).toMatchObject({ name: 'Kept offline, renamed', pending: { state: 'queued' } });
    // The switch joins the same kept edit.
    await api.setEnabled({ id: made.id, enabled: true, baseVersion: made.version });
    expect(api.drafts()).toEqual([expect.objectContaining({ automationId: made.id, state: 'queued', summary: 'Renamed from “Kept offline” to “Kept offline, renamed”; enabled' })]);
    expect(h.core.services.sync.status().pendingDrafts).toBe(1);
    expect((await onServer(made.id)).name).toBe('Kept offline');

    await server.up();
    await waitFor(() => api.drafts().length === 0, 15_000);
    expect(await onServer(made.id)).toMatchObject({ name: 'Kept offline, renamed', enabled: true, version: made.version + 2 });
    expect((await versionsOnServer(made.id)).map((v) => v.change)).toEqual(['enabled', 'updated', 'created']);
    expect(h.core.services.sync.status().pendingDrafts).toBe(0);
    expect((await api.get(made.id)).automation).toMatchObject({ name: 'Kept offline, renamed', pending: null });

    // Another sync sends nothing again.
    await h.core.services.sync.now();
    await h.core.services.sync.now();
    expect(await versionsOnServer(made.id)).toHaveLength(3);
  }, 60_000);

  it('shows a colleague’s edit made meanwhile as a conflict: keep the server’s, or save mine anyway', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.automations;
    const theirsWins = await api.create({ ...definition('Conflict A'), enabled: false });
    const mineWins = await api.create({ ...definition('Conflict B'), enabled: false });
    await api.list();
    await offline(h);
    await api.update({ ...definitionOnly('A, mine'), id: theirsWins.id, baseVersion: 1 });
    await api.update({ ...definitionOnly('B, mine'), id: mineWins.id, baseVersion: 1 });
    // A colleague saves both through an instance this desktop cannot reach.
    for (const [a, name] of [[theirsWins, 'A, theirs'], [mineWins, 'B, theirs']] as const) {
      const put = await server.rest('PUT', `/api/automations/${a.id}`, admin, { ...definitionOnly(name), baseVersion: a.version });
      expect(put.status, JSON.stringify(put.json())).toBe(200);
    }

    await server.up();
    await waitFor(() => api.drafts().filter((d) => d.state === 'conflict').length === 2, 15_000);
    const [a, b] = api.drafts();
    expect(a).toMatchObject({ name: 'A, mine', baseVersion: 1, server: { name: 'A, theirs', version: 2 } });
    expect(h.core.services.sync.status().conflictDrafts).toBe(2);
    expect((await onServer(theirsWins.id)).name).toBe('A, theirs');

    await api.resolveDraft(a?.id ?? 0, 'theirs');
    await api.resolveDraft(b?.id ?? 0, 'mine');
    await waitFor(() => api.drafts().length === 0, 15_000);
    expect(await onServer(theirsWins.id)).toMatchObject({ name: 'A, theirs', version: 2 });
    expect(await onServer(mineWins.id)).toMatchObject({ name: 'B, mine', version: 3 });
    expect(h.core.services.sync.status().conflictDrafts).toBe(0);
  }, 60_000);

  it('creates an automation made offline exactly once, even when sending is repeated after a lost answer', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.automations;
    await api.list();
    await offline(h);
    const kept = await api.create({ ...definition('Made offline'), enabled: false });
    expect(kept).toMatchObject({ version: 0, pending: { state: 'queued' } });
    expect(kept.id).toBeLessThan(0);
    expect((await api.get(kept.id)).automation.name).toBe('Made offline');
    expect((await api.list()).items.map((a) => a.name)).toContain('Made offline');
    // Edited again before it was ever sent: still one creation.
    await api.update({ ...definitionOnly('Made offline, named again'), id: kept.id, baseVersion: 0 });
    expect(api.drafts()).toHaveLength(1);

    await server.up();
    await waitFor(() => api.drafts().length === 0, 15_000);
    const [made] = await namedOnServer('Made offline, named again');
    expect(made).toBeDefined();
    expect(await namedOnServer('Made offline')).toEqual([]);

    // What a crash after sending leaves behind: the creation still queued although the server made it.
    const { db } = h.core.session.requireCache();
    const target = db.prepare("SELECT target_json FROM automation_drafts WHERE state = 'applied' AND automation_id = ?").pluck().get(made?.id) as string;
    const at = new Date().toISOString();
    db.prepare("INSERT INTO automation_drafts (automation_id, target_json, state, created_at, updated_at) VALUES (NULL, ?, 'queued', ?, ?)").run(target, at, at);
    await h.core.services.sync.now();
    await waitFor(() => api.drafts().length === 0);
    await h.core.services.sync.now();
    expect(await namedOnServer('Made offline, named again')).toHaveLength(1);
    expect(db.prepare('SELECT automation_id FROM automation_drafts ORDER BY id DESC LIMIT 1').pluck().get()).toBe(made?.id);
  }, 60_000);

  it('keeps an edit the server refuses as rejected, with the field error, until it is fixed', async () => {
    const h = await signedIn(admin);
    const api = h.core.services.automations;
    const made = await api.create({ ...definition('Refused later'), enabled: false });
    await api.get(made.id);
    await offline(h);
    const bad = definitionOnly('Refused later');
    bad.steps[1] = { ...bad.steps[1]!, input: { ticketId: '{{steps.later.output.id}}', body: 'x' } };
    await api.update({ ...bad, id: made.id, baseVersion: made.version });

    await server.up();
    await waitFor(() => api.drafts()[0]?.state === 'rejected', 15_000);
    const [rejected] = api.drafts();
    expect(rejected?.fields?.['steps.1.input.ticketId']?.join(' ')).toMatch(/Step post.*later/);
    expect((await api.get(made.id)).automation.pending).toMatchObject({ state: 'rejected', fields: { 'steps.1.input.ticketId': [expect.stringMatching(/later/)] } });
    expect((await onServer(made.id)).version).toBe(made.version);

    // Fixed in the editor (online now): the kept edit is replaced and sent.
    const fixed = await api.update({ ...definitionOnly('Refused later, fixed'), id: made.id, baseVersion: made.version });
    expect(fixed).toMatchObject({ name: 'Refused later, fixed', version: made.version + 1, pending: null });
    expect(api.drafts()).toEqual([]);
  }, 60_000);

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
