import { waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { demoLogin, goOffline, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

/**
 * The detail screen over the real core and server, in the demo world: Northwind's MSP360 works
 * (password …ckup) and its Syncro is not set up; Contoso's Syncro works with a warning, and its
 * MSP360 is broken here (a stale password) with a long audit trail.
 */
let world: World;
let desktop: Desktop | null = null;
beforeAll(async () => {
  world = await World.start();
  const contoso = world.user('admin@contoso.example');
  await world.rest('POST', '/api/integrations/msp360/reconfigure', contoso, { settings: { api_login: 'contoso-api', api_password: 'stale-password' } });
  // Each test is audited: enough rows for more than one audit page.
  for (let i = 0; i < 30; i++) await world.rest('POST', '/api/integrations/msp360/test', contoso, {});
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  await world.restart();
});
afterAll(() => world.close());

async function open(email: string, hash: string, options: Parameters<typeof openDesktop>[1] = {}) {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, email), ...options });
  const ctx = renderApp(desktop.source, hash);
  await ctx.screen.findByText(/entr(y|ies) loaded|No audit entries yet/);
  return { ...ctx, desktop };
}

const statusPanel = (screen: ReturnType<typeof renderApp>['screen']) => screen.getByRole('region', { name: 'Status' });
const healthText = (panel: HTMLElement) => within(panel).getByText('Health').nextElementSibling?.textContent;
const auditItems = (screen: ReturnType<typeof renderApp>['screen']) => within(screen.getByRole('region', { name: 'Audit history, newest first' })).getAllByRole('listitem');

describe('IntegrationDetail: admin', () => {
  test('saving applies online, checks the connection at once, and the server’s audit shows the field diff', async () => {
    const { screen, user } = await open('admin@northwind.example', '#/integrations/msp360');
    const login = screen.getByLabelText(/API login/);
    await user.clear(login);
    await user.type(login, world.credentials.northwindMspOps);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('MSP360 Managed Backup saved')).toBeTruthy();
    expect(await screen.findByText('MSP360 Managed Backup: connection works')).toBeTruthy();
    await waitFor(() => expect(within(statusPanel(screen)).getByText('Active')).toBeTruthy());
    // The check after the save is automatic (nobody tested) and found MSP360 as it was (Active):
    // no row for it, so the save is the newest entry.
    await waitFor(() => expect(auditItems(screen)[0]?.textContent).toContain('Settings changed'));
    expect(auditItems(screen).filter((li) => li.textContent?.includes('Connection tested'))).toHaveLength(0);
    const change = auditItems(screen).find((li) => li.textContent?.includes('Settings changed'));
    expect(change?.textContent).toContain(`API login: northwind-api → ${world.credentials.northwindMspOps}`);
    expect(change?.textContent).not.toContain('API password');
  });

  // Types a login twice and waits on the change feed: longer than the project's 15 s on a loaded machine.
  test('a newer version arriving while the admin types keeps the typing on top and says so; discarding shows the new version', { timeout: 45_000 }, async () => {
    const { screen, user } = await open('admin@northwind.example', '#/integrations/msp360');
    const admin = world.user('admin@northwind.example');
    // Two logins of the account other than the stored one (an earlier test may have changed it).
    const { northwindMspLogin, northwindMspOps, northwindMspBackup, northwindMspPassword: password } = world.credentials;
    const stored = (await world.rest<{ settings: { api_login: string } }>('GET', '/api/integrations/msp360', admin)).json.settings.api_login;
    const [mine = '', theirs = ''] = [northwindMspLogin, northwindMspOps, northwindMspBackup].filter((l) => l !== stored);
    const login = () => screen.getByLabelText(/API login/) as HTMLInputElement;
    await user.clear(login());
    await user.type(login(), mine);
    // A colleague (another client of the same server) saves another login meanwhile.
    await world.rest('POST', '/api/integrations/msp360/reconfigure', admin, { settings: { api_login: theirs, api_password: password } });
    expect(await screen.findByText(/Someone saved a newer version \(version \d+\) while you were editing/, undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText(/They changed API login too/)).toBeTruthy();
    expect(login().value).toBe(mine);

    await user.click(screen.getByRole('button', { name: 'Discard my edits' }));
    await waitFor(() => expect(login().value).toBe(theirs));
    expect(screen.queryByText(/Someone saved a newer version/)).toBeNull();

    await user.clear(login());
    await user.type(login(), mine);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('MSP360 Managed Backup saved', undefined, { timeout: 10_000 })).toBeTruthy();
    const onServer = await world.rest<{ settings: { api_login: string } }>('GET', '/api/integrations/msp360', admin);
    expect(onServer.json.settings.api_login).toBe(mine);
    // The save's own new version is not "someone else's".
    expect(screen.queryByText(/Someone saved a newer version/)).toBeNull();
  });

  test('a replaced secret is audited by the server as "changed" and its value is never on screen', async () => {
    const { screen, user, container } = await open('admin@northwind.example', '#/integrations/msp360');
    const password = world.credentials.northwindMspPassword;
    // Another valid password of the account (the fake accepts the same one for every login).
    await user.click(screen.getByRole('button', { name: 'Replace API password' }));
    await user.type(screen.getByLabelText(/API password/, { selector: 'input' }), password);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('MSP360 Managed Backup saved');
    // The check after the save finishes before the next test (the world's database carries over: it leaves MSP360 Active).
    await screen.findByText('MSP360 Managed Backup: connection works');
    await waitFor(() => expect(screen.getByText(/Saved/, { selector: '.secret-saved span' }).textContent).toBe(`Saved ••••${password.slice(-4)}`));
    await waitFor(() => expect(auditItems(screen).find((li) => li.textContent?.includes('Settings changed'))?.textContent).toContain('API password: changed'));
    expect(container.innerHTML).not.toContain(password);
  });

  test('offline, saving queues the change and the pending count goes up', async () => {
    const { screen, user, desktop: d } = await open('admin@northwind.example', '#/integrations/msp360');
    await goOffline(world, d);
    expect(await screen.findByText('You’re offline: saving queues the change, and it is applied by itself when you reconnect.')).toBeTruthy();
    await user.click(screen.getByLabelText(/MSPBackups enabled/));
    await user.click(screen.getByRole('button', { name: 'Queue change' }));
    expect(await screen.findByText('Queued')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await waitFor(() => expect(within(nav).getByRole('link', { name: /Pending changes/ }).textContent).toContain('1 pending'));
    expect(within(statusPanel(screen)).getByText('Active')).toBeTruthy();
    expect((await d.source.listDrafts()).map((x) => [x.integrationKey, x.state, x.values.enabled])).toEqual([['msp360', 'queued', false]]);
  });

  test('review mode makes a draft even online', async () => {
    const { screen, user, desktop: d } = await open('admin@northwind.example', '#/integrations/msp360', { reviewMode: true });
    expect(screen.getByText(/Review mode is on/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Saved as a draft')).toBeTruthy();
    expect((await d.source.listDrafts()).map((x) => x.state)).toEqual(['draft']);
  });

  test('health never checked reads "Not checked yet", with no last check', async () => {
    const northwind = world.user('admin@northwind.example');
    // Configured on the server by another client, not tested yet.
    await world.rest('POST', '/api/integrations/syncro/configure', northwind, { settings: { subdomain: 'northwind', api_token: world.credentials.northwindSyncroToken } });
    const { screen } = await open(northwind.email, '#/integrations/syncro');
    const panel = statusPanel(screen);
    expect(healthText(panel)).toBe('Not checked yet');
    expect(within(panel).getByText('Last check').nextElementSibling?.textContent).toBe('Never');
  });

  test('after a change is applied, health reads "Not checked since the last change" next to the old check time', async () => {
    const { screen, user, source } = await open('admin@contoso.example', '#/integrations/syncro', { reviewMode: true });
    const panel = statusPanel(screen);
    expect(healthText(panel)).toBe('Degraded');
    // Applied from Pending changes, as the e2e does: no connection test follows.
    await user.click(screen.getByRole('button', { name: 'Replace API token' }));
    await user.type(screen.getByLabelText(/API token/, { selector: 'input' }), 'demo-contoso-syncro-token');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText('Saved as a draft');
    expect(await source.applyDrafts('all')).toMatchObject({ applied: 1 });
    await waitFor(() => expect(healthText(panel)).toBe('Not checked since the last change'));
    expect(within(panel).getByText('Last check').nextElementSibling?.textContent).not.toBe('Never');
  });

  test('a failing MSP360 shows its MSPBackups link, the vendor’s message and a failing test', async () => {
    const { screen, user } = await open('admin@contoso.example', '#/integrations/msp360');
    expect(screen.getAllByRole('link', { name: /Open MSPBackups/ })[0]?.getAttribute('href')).toBe('https://mspbackups.com');
    const panel = statusPanel(screen);
    expect(within(panel).getByText('Failing')).toBeTruthy();
    expect(within(panel).getByText(/MSP360 rejected the API login or password/)).toBeTruthy();
    expect(within(panel).getByRole('img', { name: /^Uptime \d+(\.\d+)?% / })).toBeTruthy();
    await user.click(within(panel).getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('MSP360 Managed Backup: connection failed')).toBeTruthy();
  });

  test('the audit list pages in older entries', async () => {
    const { screen, user } = await open('admin@contoso.example', '#/integrations/msp360');
    expect(await screen.findByText('25 entries loaded')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Load older entries' }));
    await waitFor(() => expect(Number(/(\d+) entries loaded/.exec(screen.getByText(/entries loaded/).textContent ?? '')?.[1])).toBeGreaterThan(25));
  });

  test('delete asks first; Cancel changes nothing, confirming removes the configuration on the server', async () => {
    const { screen, user } = await open('admin@contoso.example', '#/integrations/syncro');
    const openDialog = screen.getByRole('button', { name: 'Delete configuration…' });
    await user.click(openDialog);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the Syncro PSA configuration?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(openDialog);
    await user.click(openDialog);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete configuration' }));
    expect(await screen.findByText('Syncro PSA configuration deleted')).toBeTruthy();
    await waitFor(() => expect(within(statusPanel(screen)).getByText('Not Configured')).toBeTruthy());
    expect(screen.getByRole('button', { name: 'Save and connect' })).toBeTruthy();
    const onServer = await world.rest<{ state: { status: string } }>('GET', '/api/integrations/syncro', world.user('admin@contoso.example'));
    expect(onServer.json.state.status).toBe('Not Configured');
  });
});

describe('IntegrationDetail: uptime', () => {
  test("shows the source's uptime and draws the bar from the same segments, over the chosen range", async () => {
    desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@northwind.example') });
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    const point = (hoursAgo: number, health: 'ok' | 'error') => ({ checkedAt: at(hoursAgo), health, status: health === 'ok' ? ('Active' as const) : ('Error' as const), message: null, source: 'scheduled' as const });
    // Canned at the DataSource boundary (the server computes uptime; its rule is tested there):
    // two of three checks failed, yet the integration was up for 90 % of the time since its first check.
    desktop.source.getHealthHistory = async (key, _scope, range = '24h') => {
      const full = range !== '24h';
      const segments = [
        { from: at(20), to: at(2), health: 'ok' as const },
        { from: at(2), to: at(0), health: 'error' as const },
      ];
      const uptime = { range, from: at(range === '24h' ? 24 : 168), until: at(0), coveredFrom: at(20), full, percent: 90, segments };
      return { key, points: [point(20, 'ok'), point(2, 'error'), point(1, 'error')], uptime, fetchedAt: at(0) };
    };
    const { screen, user } = renderApp(desktop.source, '#/integrations/msp360');
    const panel = await screen.findByRole('region', { name: 'Status' });
    await waitFor(() => expect(within(panel).getByText('90%')).toBeTruthy());
    expect(panel.textContent).toContain('since first check (20 hours ago) · 3 checks');
    const bar = within(panel).getByRole('img', { name: /^Uptime 90%/ });
    const widths = (health: string) => [...bar.querySelectorAll(`rect[data-health="${health}"]`)].reduce((sum, r) => sum + Number(r.getAttribute('width')), 0);
    // The green share of the bar is the number beside it.
    expect(widths('ok') / (widths('ok') + widths('error'))).toBeCloseTo(0.9, 2);

    await user.click(within(panel).getByRole('button', { name: '7 d' }));
    await waitFor(() => expect(panel.textContent).toContain('over the last 7 days · 3 checks'));
    expect(within(panel).getByRole('button', { name: '7 d' }).getAttribute('aria-pressed')).toBe('true');
  });
});

describe('IntegrationDetail: read-only roles', () => {
  test('a technician sees settings and status read-only, without mutation controls, and why; testing the saved connection is theirs too', async () => {
    const { screen } = await open('tech@northwind.example', '#/integrations/msp360');
    expect(screen.getByText(/Technicians can view integrations, status and audit, and test a saved connection/)).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Save/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Replace/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Test these values' })).toBeNull();
    expect(within(screen.getByRole('region', { name: 'Status' })).getByRole('button', { name: 'Test connection' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Pending changes/ })).toBeNull();
    expect(screen.getByText(/^Saved ••••/)).toBeTruthy();
  });

  test('the dev partner views another partner read-only through the switcher', async () => {
    const { screen, user } = await open('admin@acg.example', '#/integrations/msp360');
    expect(screen.getByRole('button', { name: 'Save and connect' })).toBeTruthy();
    await screen.findByRole('option', { name: 'Northwind MSP' });
    await user.selectOptions(screen.getByLabelText('Viewing partner'), 'Northwind MSP');
    expect(await screen.findByText(/viewing another partner’s integrations to support them/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Save/ })).toBeNull();
    expect(await screen.findByText(/^Saved ••••/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back to ACG' }));
    expect(await screen.findByRole('button', { name: 'Save and connect' })).toBeTruthy();
  });
});
