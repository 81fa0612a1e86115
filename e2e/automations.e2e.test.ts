import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startAutomationWorkers } from '../server/services/automations/runner.js';
import type { Automation } from '../shared/automations.js';
import { mainNav, signIn as signInAs, signOut } from './harness/app.js';
import { e2eSuite } from './harness/suite.js';
import type { World } from './harness/world.js';

/**
 * The Automations screen (issue 23 §7) in real Chromium against browser mode, the real server
 * (its job queue working runs) and the fakes. Northwind's admin adds the backup-failure recipe
 * in two clicks; its Syncro and Teams steps are Disconnected (neither is configured in this
 * world), with the amber banner naming them, and the automation still saves. A template that
 * reads a later step is refused on that step's field and saves nothing. Enabled and run by hand,
 * the run shows in the history with each step, the unconfigured steps failing with the action's
 * own "not configured" error. Offline, an admin renames it: kept ("Saved offline"), marked
 * Pending, listed on Pending changes, and sent once when the server is back. A technician reads
 * it all with no edit or run control.
 */
let world: World;
let page: Page;
const shots = e2eSuite('automations', (suite) => {
  ({ world, page } = suite);
});

const recipeName = 'Backup failure: Syncro comment + Teams post';
/** The name an admin gives it offline (kept, sent on reconnect). */
const offlineName = `${recipeName} (renamed offline)`;
const signIn = (email: string) => signInAs(page, email, world.user(email).password);
const automations = () => world.rest<{ result: { data: { items: Automation[] } } }>('GET', '/trpc/automations.list', world.user('admin@northwind.example'));
const saved = async () => (await automations()).json.result.data.items.find((a) => a.name === recipeName);

async function openAutomations(): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Automations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Automations' }).waitFor();
}

beforeAll(async () => {
  // The e2e world starts no job workers by itself; runs need them.
  await world.deps.jobs.start();
  await startAutomationWorkers(world.deps);
}, 60_000);

describe('the Automations screen', () => {
  it('a partner admin adds the backup-failure recipe and sees its disconnected steps', async () => {
    await signIn('admin@northwind.example');
    await openAutomations();
    await page.getByText('No automations yet').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Add from recipe' }).click();
    await page.getByRole('button', { name: 'Add Backup failure → Syncro comment + Teams post' }).click();
    await page.getByRole('heading', { level: 1, name: recipeName }).waitFor({ timeout: 10_000 });

    const steps = page.getByRole('listitem', { name: /^Step \d: / });
    expect(await steps.count()).toBe(3);
    const comment = page.getByRole('listitem', { name: 'Step 2: comment' });
    await comment.getByText('Disconnected').waitFor();
    await comment.getByText('Changes data at Syncro PSA').waitFor();
    expect(await page.getByRole('listitem', { name: 'Step 1: summary' }).getByText('Disconnected').count()).toBe(0);
    await page.getByRole('status').filter({ hasText: 'Step comment uses Syncro PSA, which is not connected' }).waitFor();
    await page.getByRole('status').filter({ hasText: /Step teams uses Microsoft Teams, which is not connected/ }).waitFor();
    // The disconnected step keeps its whole configuration.
    expect(await comment.getByRole('textbox', { name: /^Ticket id/ }).inputValue()).toBe('1');
    expect(await shots.screen(page, 'recipe-disconnected')).toEqual([]);
  }, 120_000);

  it('a template that reads a later step is refused on that field and nothing is saved', async () => {
    const before = await saved();
    expect(before?.version).toBe(1);
    const summary = page.getByRole('listitem', { name: 'Step 1: summary' });
    const clientField = summary.getByRole('textbox', { name: /^Client id/ });
    await clientField.fill('{{steps.com');
    // The completion offers what the field may read (the trigger; no later step).
    const completions = summary.getByRole('group', { name: 'Complete the template' });
    expect(await completions.getByRole('button').count()).toBe(0);
    await clientField.fill('{{trig');
    await completions.getByRole('button', { name: 'trigger.integrationKey' }).waitFor();
    expect(await shots.screen(page, 'template-completion')).toEqual([]);
    await clientField.fill('{{steps.comment.output.comment.id}}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('automation-save-error').waitFor({ timeout: 10_000 });
    const message = summary.locator('.field-error').filter({ hasText: /Step summary, input.clientId: refers to step comment, which is not an earlier step/ });
    await message.waitFor();
    expect(await clientField.getAttribute('aria-invalid')).toBe('true');
    expect(await shots.screen(page, 'type-error')).toEqual([]);
    const after = await saved();
    expect([after?.version, after?.steps[0]?.input]).toEqual([1, { clientId: 1 }]);

    // Put back, it saves (with its disconnected steps) as version 2.
    await clientField.fill('1');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Version 2 ·/).waitFor({ timeout: 10_000 });
    expect((await saved())?.version).toBe(2);
  }, 120_000);

  it('enabled and run by hand, the run is in the history with each step', async () => {
    await openAutomations();
    const row = page.getByRole('table', { name: 'Automations' }).getByRole('row').filter({ hasText: recipeName });
    // The switch follows the server: it shows On once the server enabled it.
    await row.getByRole('switch', { name: `${recipeName} enabled` }).click();
    await row.getByText('On', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await shots.screen(page, 'list')).toEqual([]);
    await row.getByRole('link', { name: recipeName }).click();
    await page.getByRole('button', { name: 'Run now' }).click();

    // The run detail, read again while it runs, until it has finished.
    await page.getByRole('heading', { level: 1, name: /^Run \d+/ }).waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { level: 1, name: /^Run \d+ Failed/ }).waitFor({ timeout: 30_000 });
    const comment = page.getByRole('listitem', { name: 'Step comment' });
    await comment.getByText(/Syncro PSA is not configured/).waitFor();
    expect(await page.getByRole('listitem', { name: /^Step / }).count()).toBe(3);
    await comment.getByRole('link', { name: 'Activity of syncro' }).waitFor();
    await page.getByRole('button', { name: 'Re-run from failed step' }).waitFor();
    expect(await shots.screen(page, 'run-detail')).toEqual([]);
    const first = (await page.getByRole('heading', { level: 1, name: /^Run \d+/ }).textContent())?.match(/Run (\d+)/)?.[1];

    // Re-run from the failed step: a new run, linked to the first, failing again at Teams.
    await page.getByRole('button', { name: 'Re-run from failed step' }).click();
    await page.getByRole('link', { name: `run ${first}` }).waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { level: 1, name: /^Run \d+ Failed/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('listitem', { name: 'Step teams' }).getByText(/Microsoft Teams is not configured/).waitFor();

    // The automation's history lists it, and the outcome filter finds it among the failed ones.
    await page.getByRole('link', { name: `← ${recipeName}` }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    await runs.getByRole('link', { name: /^Run \d+$/ }).first().waitFor({ timeout: 10_000 });
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('succeeded');
    await page.getByText('No runs with outcome succeeded yet.').waitFor({ timeout: 10_000 });
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('failed');
    await runs.getByRole('link', { name: /^Run \d+$/ }).first().waitFor({ timeout: 10_000 });
    expect(await shots.screen(page, 'history')).toEqual([]);
  }, 120_000);

  it('offline, an admin renames an automation and saves: kept, listed on Pending changes, sent once when the server is back', async () => {
    await openAutomations();
    await page.getByRole('table', { name: 'Automations' }).getByRole('row').filter({ hasText: recipeName }).waitFor({ timeout: 10_000 });
    const before = await saved();
    expect(before).toBeDefined();
    const id = before?.id ?? 0;
    const versions = async () => (await world.rest<{ items: { change: string }[] }>('GET', `/api/automations/${id}/versions`, world.user('admin@northwind.example'))).json.items;
    const versionsBefore = (await versions()).length;
    // Read online first (the list, the automation), so the copies kept are these.
    await page.getByRole('link', { name: recipeName }).click();
    await page.getByRole('heading', { level: 1, name: recipeName }).waitFor({ timeout: 10_000 });
    await world.stop();
    try {
      await page.locator('.connection-pill').getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });
      await page.getByTestId('automation-offline-save').getByText(/^You’re offline: saving keeps this change on this computer and sends it when you reconnect/).waitFor({ timeout: 10_000 });
      expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
      await page.getByRole('textbox', { name: /^Name/ }).fill(offlineName);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved offline; sent when you reconnect').waitFor({ timeout: 10_000 });
      await page.getByRole('heading', { level: 1, name: offlineName }).waitFor({ timeout: 10_000 });
      expect(await shots.screen(page, 'offline-saved')).toEqual([]);

      await page.getByRole('link', { name: '← Automations' }).click();
      const row = page.getByRole('table', { name: 'Automations' }).getByRole('row').filter({ hasText: offlineName });
      await row.getByText('Pending', { exact: true }).waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('automations-readonly').textContent()).toMatch(/^You’re offline: edits, new automations and the on\/off switch are kept .* Running, re-running, adding a recipe and deleting need the server\.$/);
      expect(await page.locator('.offline-notice').textContent()).toBe(
        'You’re offline. Everything shown comes from this computer’s cache. Automation edits you save are kept and sent by themselves when you reconnect; runs need the connection.',
      );
      expect(await page.getByRole('button', { name: 'Add from recipe' }).count()).toBe(0);
      expect(await shots.screen(page, 'offline-list')).toEqual([]);

      await mainNav(page).getByRole('link', { name: /Pending changes/ }).click();
      const card = page.getByRole('listitem', { name: `Automation: ${offlineName}` });
      await card.getByText(`Renamed from “${recipeName}” to “${offlineName}”`).waitFor({ timeout: 10_000 });
      await card.getByText('Queued', { exact: true }).waitFor();
      expect(await shots.screen(page, 'offline-pending')).toEqual([]);
      // Nothing reached the server meanwhile.
      expect((await saved())?.name).toBe(recipeName);
    } finally {
      await world.restart();
    }
    await page.locator('.connection-pill').getByText('Online', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('listitem', { name: `Automation: ${offlineName}` }).waitFor({ state: 'detached', timeout: 20_000 });
    const after = (await automations()).json.result.data.items.filter((a) => a.id === id);
    expect(after.map((a) => [a.name, a.version])).toEqual([[offlineName, (before?.version ?? 0) + 1]]);
    expect((await versions()).length).toBe(versionsBefore + 1);
  }, 120_000);

  it('a technician reads the automations and their runs, with no edit or run control', async () => {
    await signOut(page);
    await signIn('tech@northwind.example');
    await openAutomations();
    await page.getByTestId('automations-readonly').getByText(/partner admins edit and run them/).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Add from recipe' }).count()).toBe(0);
    expect(await page.getByRole('switch', { name: `${offlineName} enabled` }).isDisabled()).toBe(true);
    await page.getByRole('link', { name: offlineName }).click();
    await page.getByRole('heading', { level: 1, name: offlineName }).waitFor();
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByRole('listitem', { name: 'Step 1: summary' }).getByRole('textbox', { name: /^Client id/ }).isDisabled()).toBe(true);
    expect(await shots.screen(page, 'technician')).toEqual([]);
  }, 90_000);
});
