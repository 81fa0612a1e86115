import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { SECRET_MASK } from '../../../shared/integrations/fields.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { demoLogin, goOffline, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * Pending changes over the real core (drafts, outbox, three-way merge) and the real server (push,
 * conflicts, audit). Each test signs Northwind's admin into a fresh core in review mode and saves
 * two drafts through the same path as the form: MSP360 with a new login and a typed password,
 * and setting up Syncro.
 */
let world: World;
let desktop: Desktop | null = null;
let run = 0;
beforeAll(async () => {
  world = await World.start();
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  await world.restart();
});
afterAll(() => world.close());

type Ctx = ReturnType<typeof renderApp> & { desktop: Desktop; login: string; before: IntegrationDetail; savedPassword: string };
const card = (ctx: Ctx, name: string) => ctx.screen.getByRole('heading', { name }).closest('article') as HTMLElement;
const rowText = (table: HTMLElement, field: string) => within(table).getByRole('rowheader', { name: new RegExp(`^${field}`) }).closest('tr')?.textContent;
const admin = () => world.user('admin@northwind.example');
const long = { timeout: 10_000 };
const onServer = async (key: string) => (await world.rest<IntegrationDetail>('GET', `/api/integrations/${key}`, admin())).json;

async function open(options: { offline?: boolean } = {}): Promise<Ctx> {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, admin().email), reviewMode: true });
  const before = await desktop.source.getIntegration('msp360');
  const login = `northwind-ops-${++run}`;
  await desktop.source.saveConfiguration({ key: 'msp360', settings: { ...before.settings, api_login: login, api_password: 'typed-secret-2468', enabled: true }, mode: 'update', baseVersion: before.state.version });
  if ((await desktop.source.getIntegration('syncro')).state.status === 'Not Configured') {
    await desktop.source.saveConfiguration({ key: 'syncro', settings: { subdomain: 'northwind', api_token: world.credentials.northwindSyncroToken }, mode: 'create', baseVersion: null });
  }
  if (options.offline) await goOffline(world, desktop);
  const ctx = renderApp(desktop.source, '#/changes');
  await ctx.screen.findByRole('heading', { name: 'MSP360 Managed Backup' });
  const stored = before.settings?.api_password;
  const savedPassword = `Saved ••••${typeof stored === 'object' ? (stored.last4 ?? '') : ''}`;
  return { ...ctx, desktop, login, before, savedPassword };
}

describe('Pending changes', () => {
  test('lists drafts with field diffs against the server; a typed secret reads "changed"', async () => {
    const ctx = await open();
    const table = within(card(ctx, 'MSP360 Managed Backup')).getByRole('table');
    expect(rowText(table, 'API login')).toBe(`API login${String(ctx.before.settings?.api_login)}${ctx.login}`);
    expect(rowText(table, 'API password')).toBe(`API password${ctx.savedPassword}changed`);
    expect(ctx.container.innerHTML).not.toContain('typed-secret-2468');
    expect(within(card(ctx, 'Syncro PSA')).getByText('Set up', { exact: false })).toBeTruthy();
  });

  test('applying one draft sends it to the server and removes it', async () => {
    const ctx = await open();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Apply the MSP360 Managed Backup draft' }));
    expect(await ctx.screen.findByText('Change applied')).toBeTruthy();
    await waitFor(() => expect(ctx.screen.queryByRole('heading', { name: 'MSP360 Managed Backup' })).toBeNull());
    const detail = await onServer('msp360');
    expect(detail.settings?.api_login).toBe(ctx.login);
    expect(detail.settings?.api_password).toEqual({ isSet: true, last4: '2468' });
    expect(ctx.screen.getByRole('heading', { name: 'Syncro PSA' })).toBeTruthy();
  });

  test('discarding asks first and leaves the server as it was', async () => {
    const ctx = await open();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Discard the MSP360 Managed Backup draft' }));
    await ctx.user.click(within(ctx.screen.getByRole('alertdialog')).getByRole('button', { name: 'Discard draft' }));
    await waitFor(() => expect(ctx.screen.queryByRole('heading', { name: 'MSP360 Managed Backup' })).toBeNull());
    expect((await onServer('msp360')).settings?.api_login).toBe(ctx.before.settings?.api_login);
    expect((await ctx.desktop.source.listDrafts()).map((d) => d.integrationKey)).toEqual(['syncro']);
  });

  test('editing a draft keeps its typed secret when left blank', async () => {
    const ctx = await open();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Edit the MSP360 Managed Backup draft' }));
    const msp = card(ctx, 'MSP360 Managed Backup');
    const login = within(msp).getByLabelText(/API login/);
    expect((login as HTMLInputElement).value).toBe(ctx.login);
    await ctx.user.clear(login);
    await ctx.user.type(login, `${ctx.login}-b`);
    await ctx.user.click(within(msp).getByRole('button', { name: 'Save draft' }));
    await ctx.screen.findByText('Draft updated');
    const table = () => within(card(ctx, 'MSP360 Managed Backup')).getByRole('table');
    await waitFor(() => expect(rowText(table(), 'API login')).toBe(`API login${String(ctx.before.settings?.api_login)}${ctx.login}-b`));
    expect(rowText(table(), 'API password')).toBe(`API password${ctx.savedPassword}changed`);
    const [draft] = (await ctx.desktop.source.listDrafts()).filter((d) => d.integrationKey === 'msp360');
    expect(draft?.typedSecrets).toEqual(['api_password']);
  });

  test('a change on the server is a conflict as soon as it is synced: base, server and draft, who and when, a choice on the field both changed, then the merge is sent', async () => {
    const ctx = await open();
    const summary = () => ctx.container.querySelector('.queue-summary')?.textContent ?? '';
    expect(summary()).toContain('0 conflicts');
    // Another client changes the login (which the draft changed too) and turns MSPBackups off (which it did not).
    const other = await world.rest('POST', '/api/integrations/msp360/reconfigure', admin(), { settings: { api_login: 'changed-elsewhere', api_password: SECRET_MASK, enabled: false } });
    expect(other.status).toBe(200);
    // Nobody presses Apply: the change feed brings the newer version and the core counts the conflict.
    const msp = () => card(ctx, 'MSP360 Managed Backup');
    await waitFor(() => expect(within(msp()).getByText('Conflict', { selector: '.badge' })).toBeTruthy(), { timeout: 10_000 });
    await waitFor(() => expect(summary()).toMatch(/(^|\D)1 conflict(?!s)/));
    await waitFor(() => expect(within(msp()).getByText(/changed MSP360 Managed Backup on the server/).textContent).toMatch(new RegExp(`^${admin().email} changed MSP360 Managed Backup on the server (just now|.+ ago), after this draft was started\\.`)));
    const table = within(msp()).getByRole('table');
    const loginRow = within(table).getByRole('rowheader', { name: /^API login/ }).closest('tr') as HTMLElement;
    expect(within(loginRow).getByText('Changed on both sides')).toBeTruthy();
    expect(within(loginRow).getAllByRole('cell')[0]?.textContent).toBe(String(ctx.before.settings?.api_login));
    expect(within(loginRow).getByRole('radio', { name: 'changed-elsewhere: keep the server’s API login' })).toBeTruthy();
    const resolve = within(msp()).getByRole('button', { name: 'Use these values' }) as HTMLButtonElement;
    expect(resolve.disabled).toBe(true);
    // The core merged the field only the server changed: its value is taken, not offered.
    const enabled = within(msp()).getByRole('radio', { name: /keep the server’s MSPBackups enabled/ }) as HTMLInputElement;
    expect(enabled.checked).toBe(true);
    expect(enabled.disabled).toBe(true);
    await ctx.user.click(within(loginRow).getByRole('radio', { name: `${ctx.login}: use your draft’s API login` }));
    await ctx.user.click(resolve);
    await ctx.screen.findByText('MSP360 Managed Backup: conflict resolved');
    await waitFor(() => expect(ctx.screen.queryByRole('heading', { name: 'MSP360 Managed Backup' })).toBeNull());
    const detail = await onServer('msp360');
    expect(detail.settings).toMatchObject({ api_login: ctx.login, enabled: false, api_password: { isSet: true, last4: '2468' } });
  });

  test('a queued change offers no Discard or Edit offline, says why, and the core refuses to discard it too', async () => {
    const ctx = await open({ offline: true });
    // Offline the card's action has the header's verb: Queue.
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Queue the MSP360 Managed Backup draft' }));
    await waitFor(() => expect(within(card(ctx, 'MSP360 Managed Backup')).getByText('Waiting to send')).toBeTruthy());
    const msp = card(ctx, 'MSP360 Managed Backup');
    expect(within(msp).getByRole('note').textContent).toMatch(/^Waiting to be sent — it is applied by itself when you reconnect\. .*can’t be edited or discarded\.$/);
    expect(within(msp).queryByRole('button')).toBeNull();
    expect((ctx.screen.getByRole('button', { name: 'Queue all (1)' }) as HTMLButtonElement).disabled).toBe(false);
    expect(within(card(ctx, 'Syncro PSA')).getByRole('button', { name: 'Discard the Syncro PSA draft' })).toBeTruthy();
    const queued = (await ctx.desktop.source.listDrafts()).find((d) => d.integrationKey === 'msp360');
    await expect(ctx.desktop.source.discardDraft(queued?.id ?? 0)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await ctx.desktop.source.listDrafts()).some((d) => d.integrationKey === 'msp360')).toBe(true);
  });

  test('offline, applying queues; reconnecting sends the queue', async () => {
    const ctx = await open({ offline: true });
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Queue all (2)' }));
    expect(await ctx.screen.findByText('Queued until you’re back online')).toBeTruthy();
    await waitFor(() => expect(within(card(ctx, 'MSP360 Managed Backup')).getByText('Waiting to send')).toBeTruthy());
    await world.restart();
    await waitFor(() => expect(ctx.screen.queryByRole('heading', { name: 'MSP360 Managed Backup' })).toBeNull(), { timeout: 10_000 });
    expect(ctx.screen.queryByRole('heading', { name: 'Syncro PSA' })).toBeNull();
    expect((await onServer('syncro')).state.status).not.toBe('Not Configured');
    expect((await onServer('msp360')).settings?.api_login).toBe(ctx.login);
  });

  test('shows progress while pushing', async () => {
    const ctx = await open();
    // Canned activity at the DataSource boundary: a real push to a loopback server ends too soon to see.
    const read = ctx.desktop.source.getSyncStatus.bind(ctx.desktop.source);
    ctx.desktop.source.getSyncStatus = async () => ({ ...(await read()), activity: { phase: 'pushing', done: 1, total: 2 } });
    await ctx.user.click(await ctx.screen.findByRole('button', { name: 'Sync now' }));
    const bar = await ctx.screen.findByRole('progressbar', { name: 'Applying changes' });
    expect(bar.getAttribute('aria-valuemax')).toBe('2');
  });

  test('automation edits made offline: a card each with what changed; Discard drops one; a colleague’s save meanwhile is a conflict, saved mine anyway', async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, admin().email) });
    const source = desktop.source;
    const renamed = await source.addRecipe('backup-failure');
    const switched = await source.addRecipe('backup-failure');
    await source.listAutomations();
    const definition = (a: typeof renamed) => ({ name: a.name, trigger: a.trigger, steps: a.steps, concurrency: a.concurrency });
    await goOffline(world, desktop);
    const mine = `Backup failure, mine ${++run}`;
    await source.updateAutomation({ ...definition(renamed), name: mine, id: renamed.id, baseVersion: renamed.version });
    await source.setAutomationEnabled({ id: switched.id, enabled: true, baseVersion: switched.version });
    // A colleague saves the renamed one through an instance this desktop cannot reach.
    const put = await world.rest('PUT', `/api/automations/${renamed.id}`, admin(), { ...definition(renamed), name: 'Renamed by a colleague', baseVersion: renamed.version });
    expect(put.status).toBe(200);

    const ctx = renderApp(source, '#/changes');
    const cardOf = (name: string) => ctx.screen.findByRole('listitem', { name: `Automation: ${name}` }, long);
    const renamedCard = await cardOf(mine);
    expect(within(renamedCard).getByText(`Renamed from “${renamed.name}” to “${mine}”`)).toBeTruthy();
    expect(within(renamedCard).getByText('Queued')).toBeTruthy();
    expect(within(await cardOf(switched.name)).getByText('Enabled')).toBeTruthy();
    // Counted with the other pending changes.
    await waitFor(() => expect(ctx.container.querySelector('.queue-summary')?.textContent).toMatch(/^2 pending/), long);

    await ctx.user.click(within(await cardOf(switched.name)).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(ctx.screen.queryByRole('listitem', { name: `Automation: ${switched.name}` })).toBeNull(), long);

    await world.restart();
    await source.syncNow().catch(() => undefined);
    await waitFor(async () => expect(within(await cardOf(mine)).getByText('Conflict')).toBeTruthy(), long);
    const conflict = await cardOf(mine);
    expect(within(conflict).getByText('Renamed by a colleague (version 2)')).toBeTruthy();
    expect(within(conflict).getByRole('button', { name: 'Keep the server’s' })).toBeTruthy();
    await ctx.user.click(within(conflict).getByRole('button', { name: 'Save mine anyway' }));
    await waitFor(() => expect(ctx.screen.queryByRole('listitem', { name: `Automation: ${mine}` })).toBeNull(), long);
    const held = async (id: number) => (await world.rest<{ name: string; enabled: boolean; version: number }>('GET', `/api/automations/${id}`, admin())).json;
    expect(await held(renamed.id)).toMatchObject({ name: mine, version: 3 });
    expect(await held(switched.id)).toMatchObject({ enabled: false, version: 1 });
  });

  test('technicians have no pending changes screen, and are told why', async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'tech@northwind.example') });
    const ctx = renderApp(desktop.source, '#/changes');
    expect(await ctx.screen.findByText(/Technicians can view integrations/)).toBeTruthy();
    expect(ctx.screen.queryByRole('button', { name: /Apply/ })).toBeNull();
  });
});
