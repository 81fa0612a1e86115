import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { SyncUser } from '../../../electron/core/test/syncHarness.js';
import { createActionPlugin, startLoopbackVendor, type LoopbackVendor } from '../../../server/integrations/testing/actionPlugin.js';
import { startAutomationWorkers } from '../../../server/services/automations/runner.js';
import { validSettings } from '../../../server/test/catalogWorld.js';
import { openDesktop, SyncServer, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';
import { automationsOfflineSaves, offlineReason, offlineSaveNotice, savedOfflineTitle } from './access.js';

/**
 * The Automations screen over the real desktop core, server (with its job queue) and the
 * loopback ticketdesk vendor: an automation written in the form editor (a manual input, two
 * steps, templates completed from the suggestions) saves; a bad template is refused on its
 * step's field; enabled and run with its input, the run detail shows both steps and the vendor
 * got one comment. Offline the screens show the copy last read and say so; an edit saved is kept
 * (said before, toasted after), marked Pending, and sent when the server is back.
 */
let desk: LoopbackVendor;
let server: SyncServer;
let admin: SyncUser;
let desktop: Desktop | null = null;

beforeAll(async () => {
  desk = await startLoopbackVendor();
  server = await SyncServer.start([createActionPlugin(desk).plugin], { INTEGRATIONS_ALLOW_PRIVATE_NETWORK: 'true' });
  admin = await server.user((await server.partner()).id);
  expect((await server.rest('POST', '/api/integrations/ticketdesk/configure', admin, { settings: validSettings({ base_url: desk.url }) })).status).toBe(201);
  await server.deps.jobs.start();
  await startAutomationWorkers(server.deps);
}, 60_000);
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  if (!server.app) await server.up();
});
afterAll(async () => {
  await server?.close();
  await desk?.close();
});

const long = { timeout: 10_000 };

describe('the Automations screen', () => {
  test('an automation written in the editor saves, a bad template is refused on its field, and a run shows its steps', async () => {
    desktop = await openDesktop(server.url, { signIn: admin });
    const ctx = renderApp(desktop.source, '#/automations/new');
    const { user, screen } = ctx;
    await user.type(await screen.findByLabelText(/^Name/, {}, long), 'Note ticket 101');
    await user.click(screen.getByRole('button', { name: 'Add an input' }));

    const first = screen.getByRole('listitem', { name: 'Step 1: step1' });
    await user.selectOptions(within(first).getByLabelText(/^Action/), 'ticketdesk.tickets.get');
    await user.type(within(first).getByLabelText(/^Ticket id/), '101');
    await user.click(screen.getByRole('button', { name: 'Add a step' }));
    const second = screen.getByRole('listitem', { name: 'Step 2: step2' });
    // New steps offer the integrations that can run, grouped by integration; side effects are said.
    const picker = within(second).getByLabelText(/^Action/);
    expect(within(picker).getByRole('group', { name: 'Ticket Desk' })).toBeTruthy();
    await user.selectOptions(picker, 'ticketdesk.tickets.comment');
    expect(within(second).getByText('Changes data at Ticket Desk')).toBeTruthy();

    // Completion: an open {{ offers what this step may read; a click completes it.
    const ticket = within(second).getByLabelText(/^Ticket id/);
    await user.click(ticket);
    await user.paste('{{steps.step1.output.ticket.i');
    await user.click(within(second).getByRole('button', { name: 'steps.step1.output.ticket.id' }));
    expect((ticket as HTMLInputElement).value).toBe('{{steps.step1.output.ticket.id}}');
    const body = within(second).getByLabelText(/^Body/);
    await user.click(body);
    await user.paste('Note: {{steps.step9.output.x}}');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    // Refused by the server's type check: on that step's field, nothing saved.
    await waitFor(() => expect(body.getAttribute('aria-invalid')).toBe('true'), long);
    expect(document.getElementById(`${body.id}-error`)?.textContent).toMatch(/Step step2, input.body: refers to step step9/);
    expect((await desktop.source.listAutomations()).items).toEqual([]);

    await user.clear(body);
    await user.click(body);
    await user.paste('Note: {{trigger.input.input1}}');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('heading', { level: 1, name: 'Note ticket 101' }, long);
    const [saved] = (await desktop.source.listAutomations()).items;
    expect(saved?.steps.map((s) => [s.name, s.input])).toEqual([
      ['step1', { ticketId: '101' }],
      ['step2', { ticketId: '{{steps.step1.output.ticket.id}}', body: 'Note: {{trigger.input.input1}}' }],
    ]);

    // Enabled from the list, then run by hand with its input.
    await user.click(screen.getByRole('link', { name: '← Automations' }));
    await user.click(await screen.findByRole('switch', { name: 'Note ticket 101 enabled' }, long));
    await within(screen.getByRole('table', { name: 'Automations' })).findByText('On', {}, long);
    await user.click(screen.getByRole('link', { name: 'Note ticket 101' }));
    const runNow = await screen.findByRole('button', { name: 'Run now' }, long);
    await waitFor(() => expect((runNow as HTMLButtonElement).disabled).toBe(false), long);
    await user.click(runNow);
    const form = screen.getByRole('form', { name: 'Run now' });
    await user.type(within(form).getByLabelText(/^input1/), 'checked by the renderer test');
    const before = desk.comments.length;
    await user.click(within(form).getByRole('button', { name: 'Start the run' }));
    await screen.findByRole('heading', { level: 1, name: /^Run \d+ Succeeded$/ }, { timeout: 20_000 });
    const post = screen.getByRole('listitem', { name: 'Step step2' });
    expect(within(post).getByLabelText('Input of step2').textContent).toContain('Note: checked by the renderer test');
    expect(desk.comments.length).toBe(before + 1);
    expect(screen.queryByRole('button', { name: 'Re-run from failed step' })).toBeNull();
  }, 60_000);

  test('offline, the copies last read are said so; an edit saved is kept, marked Pending, and sent on reconnect', async () => {
    desktop = await openDesktop(server.url, { signIn: admin });
    const made = await desktop.source.createAutomation({
      name: 'Read while offline',
      trigger: { kind: 'manual', inputs: [] },
      steps: [{ name: 'read', actionId: 'ticketdesk.tickets.get', input: { ticketId: '101' } }],
    });
    const { user, screen } = renderApp(desktop.source, '#/automations');
    await user.click(await screen.findByRole('link', { name: 'Read while offline' }, long));
    await screen.findByRole('heading', { level: 1, name: 'Read while offline' }, long);
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
    expect(screen.queryByTestId('automation-offline-save')).toBeNull();

    await server.down();
    await desktop.source.syncNow().catch(() => undefined);
    await user.click(screen.getByRole('link', { name: '← Automations' }));
    const mark = await screen.findByTestId('automations-offline', {}, long);
    expect(mark.textContent).toMatch(/^Offline: as read .+\.$/);
    // Recipes and runs need the server; saves and the switch are kept.
    expect(screen.queryByRole('button', { name: 'Add from recipe' })).toBeNull();
    expect((screen.getByRole('switch', { name: 'Read while offline enabled' }) as HTMLInputElement).disabled).toBe(false);
    expect(screen.getByTestId('automations-readonly').textContent).toBe(offlineReason);
    expect((await screen.findByRole('note', {}, long)).textContent).toContain(automationsOfflineSaves);

    window.location.hash = `#/automations/${made.id}`;
    await screen.findByRole('heading', { level: 1, name: 'Read while offline' }, long);
    await screen.findByTestId('automations-offline', {}, long);
    expect(screen.queryByRole('button', { name: 'Run now' })).toBeNull();
    // Said before saving: kept and sent on reconnect.
    expect(screen.getByTestId('automation-offline-save').textContent).toBe(offlineSaveNotice);
    const name = screen.getByLabelText(/^Name/);
    await user.clear(name);
    await user.type(name, 'Renamed while offline');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(savedOfflineTitle, {}, long);
    await screen.findByRole('heading', { level: 1, name: 'Renamed while offline' }, long);
    expect(screen.getByTestId('automation-pending').textContent).toMatch(/sent by itself when you reconnect/);

    await user.click(screen.getByRole('link', { name: '← Automations' }));
    const row = (await screen.findByRole('link', { name: 'Renamed while offline' }, long)).closest('tr');
    expect(row && within(row).getByText('Pending')).toBeTruthy();
    // Runs are not kept: refused in so many words.
    await expect(desktop.source.runAutomation(made.id, {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    await server.up();
    await desktop.source.syncNow().catch(() => undefined);
    await waitFor(async () => expect(((await server.rest('GET', `/api/automations/${made.id}`, admin)).json() as { name: string }).name).toBe('Renamed while offline'), long);
    await waitFor(() => expect(screen.queryByText('Pending')).toBeNull(), long);
  }, 60_000);

  test('the platform operator reads a partner it views, with no edit or run control', async () => {
    const partner = await server.partner({ name: 'Viewed MSP' });
    const owner = await server.user(partner.id);
    const ops = await server.user((await server.partner({ name: 'Platform', isDev: true })).id);
    const ownDesktop = await openDesktop(server.url, { signIn: owner });
    try {
      await ownDesktop.source.createAutomation({ name: 'Seen by the operator', trigger: { kind: 'manual', inputs: [] }, steps: [{ name: 'read', actionId: 'ticketdesk.tickets.get', input: { ticketId: '101' } }] });
    } finally {
      await ownDesktop.close();
    }
    desktop = await openDesktop(server.url, { signIn: ops });
    const { user, screen } = renderApp(desktop.source, '#/automations');
    const switcher = await screen.findByLabelText('Viewing partner', {}, long);
    await within(switcher).findByRole('option', { name: 'Viewed MSP' }, long);
    await user.selectOptions(switcher, 'Viewed MSP');
    await user.click(await screen.findByRole('link', { name: 'Seen by the operator' }, long));
    await screen.findByRole('heading', { level: 1, name: 'Seen by the operator' }, long);
    expect(screen.getByTestId('automations-readonly').textContent).toBe('The platform operator reads automations but never edits or runs them.');
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Run now' })).toBeNull();
    expect((screen.getByLabelText(/^Ticket id/) as HTMLInputElement).value).toBe('101');
  }, 60_000);
});
