import type { Automation, RunStatus, Step } from '../../shared/automations.js';
import { demoPartners, type DemoSeed } from '../cli/commands/seedDemo.js';
import { listAlerts } from '../db/alerts.js';
import { findRun } from '../db/automationRuns.js';
import { listClients } from '../db/clients.js';
import type { FakeSyncro } from '../integrations/syncro/fakeServer.js';
import { withPartner } from '../db/pool.js';
import type { AppDeps } from '../deps.js';
import { listAutomations, setEnabled, updateAutomation } from '../services/automations/automations.js';
import { enqueueRuns } from '../services/automations/enqueue.js';
import { addRecipe, recipes } from '../services/automations/recipes.js';
import { processRun } from '../services/automations/runner.js';
import { healthTriggerData } from '../services/automations/triggers.js';
import type { Principal } from '../services/principal.js';
import { dataforthBackupTicket } from './demoVendorRecords.js';

export interface DemoAutomationsOptions {
  /** Dataforth's open backup ticket at the fake Syncro (server/demo/demoVendorRecords.ts). */
  syncroTicketId: number;
  /** Where Northwind's Teams bot is installed (server/demo/demoTeams.ts). */
  teamsChannel: { teamId: string; channelId: string };
}

export interface DemoAutomations {
  partner: string;
  automationId: number;
  /** The runs this seeding made (none when the automation already existed). */
  runs: { id: number; status: RunStatus }[];
}

const partnerSlug = 'northwind';

/** Dataforth's open backup ticket at a fake Syncro seeded for the demo (seedDemoVendors). */
export function demoBackupTicketId(fakes: { syncro: Pick<FakeSyncro, 'tickets'> }): number {
  const ticket = fakes.syncro.tickets(partnerSlug).find((t) => t.subject === dataforthBackupTicket.subject);
  if (!ticket) throw new Error('the fake Syncro has no Dataforth backup ticket (seedDemoVendors first)');
  return ticket.id;
}
const recipeId = 'backup-failure';

/**
 * Issue 23 §6 in the demo: Northwind MSP has the backup-failure recipe (MSP360 → Syncro comment
 * + Teams post) enabled, with a run history of one failure and one success. Nothing here is
 * written by hand: the recipe is added, adjusted and enabled through the services the editor
 * calls, and both runs go through the runner against the fake vendors, triggered with the
 * MSP360 failure the demo has just recorded (its Error alert). The story the history tells:
 *  1. the admin adjusted the recipe to Dataforth but left the recipe's placeholder Teams channel:
 *     the run commented on Syncro and then failed on Teams ("check the channel id");
 *  2. the admin set the service-desk channel: the next run succeeded.
 * MSP360 is in Error in the demo, so both runs say its summary could not be read (the step is
 * "continue on failure"); once the newcomer fixes MSP360 and maps Dataforth, the next break
 * carries the real summary. Idempotent: an existing automation of that name is left as it is.
 */
export async function seedDemoAutomations(deps: AppDeps, seed: DemoSeed, options: DemoAutomationsOptions): Promise<DemoAutomations> {
  const name = demoPartners.find((p) => p.slug === partnerSlug)?.name;
  const partner = seed.partners.find((p) => p.name === name);
  const admin = seed.users.find((u) => u.partnerId === partner?.id && u.role === 'partner_admin');
  if (!partner || !admin) throw new Error(`demo partner ${partnerSlug} was not seeded`);
  const principal: Principal = { userId: admin.id, email: admin.email, displayName: admin.email, partnerId: partner.id, partnerName: partner.name, isDev: false, role: 'partner_admin' };

  const recipe = recipes.find((r) => r.id === recipeId);
  if (!recipe) throw new Error(`no recipe ${recipeId}`);
  const existing = (await listAutomations(deps, partner.id)).find((a) => a.name === recipe.definition.name);
  // Seeded before (or added by hand): keep that one, with whatever the admin changed since.
  if (existing) return { partner: partner.name, automationId: existing.id, runs: [] };
  const dataforth = (await withPartner(deps.db, partner.id, (tx) => listClients(tx, partner.id, false))).find((c) => c.name === 'Dataforth Corp.');
  if (!dataforth) throw new Error('demo client Dataforth Corp. was not seeded (run seedDemoClients first)');
  const added = await addRecipe(deps, principal, recipeId);

  // Adjusted to Dataforth and its backup ticket; the Teams channel still the recipe's placeholder.
  const steps = added.steps.map((step): Step => {
    if (step.name === 'summary') return { ...step, input: { ...step.input, clientId: dataforth.id } };
    if (step.name === 'comment') {
      // No client on the comment: Dataforth is not mapped at Syncro until the walk-through maps it.
      const { clientId: _unmapped, ...input } = step.input;
      return { ...step, input: { ...input, ticketId: String(options.syncroTicketId) } };
    }
    return step;
  });
  const definition = (a: Automation, s: Step[]) => ({ id: a.id, baseVersion: a.version, name: a.name, trigger: a.trigger, concurrency: a.concurrency, steps: s });
  const adjusted = await updateAutomation(deps, principal, definition(added, steps));
  const enabled = await setEnabled(deps, principal, { id: adjusted.id, enabled: true, baseVersion: adjusted.version });

  const trigger = await msp360Failure(deps, partner.id);
  if (!trigger) return { partner: partner.name, automationId: enabled.id, runs: [] };
  const first = await runToEnd(deps, partner.id, enabled, trigger);
  const channelSet = steps.map((step): Step => (step.name === 'teams' ? { ...step, input: { ...step.input, channelId: options.teamsChannel.channelId, teamId: options.teamsChannel.teamId } } : step));
  const fixed = await updateAutomation(deps, principal, definition(enabled, channelSet));
  const second = await runToEnd(deps, partner.id, fixed, trigger);
  return { partner: partner.name, automationId: fixed.id, runs: [first, second] };
}

/** The health trigger of the MSP360 failure the demo recorded (its newest alert), as queueHealthRuns would have built it. */
async function msp360Failure(deps: AppDeps, partnerId: number) {
  const [alert] = await withPartner(deps.db, partnerId, (tx) => listAlerts(tx, partnerId, { key: 'msp360', limit: 1 }));
  if (!alert || alert.health === 'ok') return undefined;
  return healthTriggerData({ integrationKey: 'msp360', change: alert.health, after: alert.health, status: alert.toStatus, message: alert.message, at: new Date(alert.createdAt) });
}

/**
 * Queues a run as a trigger does and works it here, through the runner, so the seed does not
 * depend on the workers being started; if a worker claimed it first, waits for that one.
 */
async function runToEnd(deps: AppDeps, partnerId: number, automation: Automation, data: unknown): Promise<{ id: number; status: RunStatus }> {
  const [runId] = await enqueueRuns(deps, partnerId, [automation], { kind: 'health', data }, { throwAtLimit: true });
  if (runId === undefined) throw new Error('the demo run was not queued');
  await processRun(deps, { partnerId, runId }, { jobId: `demo-seed-${runId}`, signal: new AbortController().signal });
  for (const until = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 100))) {
    const run = await withPartner(deps.db, partnerId, (tx) => findRun(tx, partnerId, runId));
    if (run && run.status !== 'queued' && run.status !== 'running') return { id: runId, status: run.status as RunStatus };
    if (Date.now() > until) throw new Error(`demo run ${runId} did not finish (${run?.status})`);
  }
}
