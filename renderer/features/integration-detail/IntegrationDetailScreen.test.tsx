import { waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { renderApp } from '../../test/renderApp.js';

const statusPanel = (screen: ReturnType<typeof renderApp>['screen']) => screen.getByRole('region', { name: 'Status' });

describe('IntegrationDetail: admin', () => {
  test('saving applies online, checks the connection at once, and the audit shows the field diff', async () => {
    const { screen, user } = renderApp({ hash: '#/integrations/syncro', withDrafts: false });
    await screen.findByText(/entries loaded/);
    await user.selectOptions(screen.getByLabelText(/Status for new tickets/), 'Scheduled');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Syncro PSA saved')).toBeTruthy();
    expect(await screen.findByText('Syncro PSA: connection works')).toBeTruthy();
    await waitFor(() => expect(within(statusPanel(screen)).getByText('Active')).toBeTruthy());
    const audit = screen.getByRole('region', { name: 'Audit history, newest first' });
    await waitFor(() => expect(within(audit).getAllByRole('listitem')[0]?.textContent).toContain('Connection tested'));
    // The test found the saved (Configured) settings working: a transition, audited as such.
    expect(within(audit).getAllByRole('listitem')[1]?.textContent).toContain('Health changed');
    expect(within(audit).getAllByRole('listitem')[1]?.textContent).toContain('Configured → Active');
    const change = within(audit).getAllByRole('listitem')[2];
    expect(change?.textContent).toContain('Settings changed');
    expect(change?.textContent).toContain('Status for new tickets: In Progress → Scheduled');
    expect(change?.textContent).not.toContain('API token');
  });

  test('a replaced secret is audited as "changed" and its value is never on screen', async () => {
    const { screen, user, container } = renderApp({ hash: '#/integrations/syncro', withDrafts: false });
    await screen.findByText(/entries loaded/);
    await user.click(screen.getByRole('button', { name: 'Replace API token' }));
    await user.type(screen.getByLabelText(/API token/, { selector: 'input' }), 'stk_brand_new_secret_4242');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Syncro PSA saved');
    await waitFor(() => expect(screen.getByText(/Saved/, { selector: '.secret-saved span' }).textContent).toBe('Saved ••••4242'));
    const audit = within(screen.getByRole('region', { name: 'Audit history, newest first' }));
    await waitFor(() => expect(audit.getAllByRole('listitem').find((li) => li.textContent?.includes('Settings changed'))?.textContent).toContain('API token: changed'));
    expect(container.innerHTML).not.toContain('stk_brand_new_secret');
  });

  test('server field errors show on the field and take focus', async () => {
    const { screen, user } = renderApp({ hash: '#/integrations/syncro', withDrafts: false });
    await screen.findByText(/entries loaded/);
    const subdomain = screen.getByLabelText(/Subdomain/);
    await user.clear(subdomain);
    await user.type(subdomain, 'unknown');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(subdomain.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('cfg-syncro-subdomain-error')?.textContent).toBe('No Syncro account answers at unknown.syncromsp.com');
    expect(document.activeElement).toBe(subdomain);
  });

  test('offline, saving makes a draft and the pending count goes up', async () => {
    const { screen, user } = renderApp({ hash: '#/integrations/syncro', withDrafts: false, online: false });
    await screen.findByText(/entries loaded/);
    expect(screen.getByText(/You’re offline: saving creates a draft/)).toBeTruthy();
    await user.click(screen.getByLabelText(/Import assets nightly/));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Saved as a draft')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await waitFor(() => expect(within(nav).getByRole('link', { name: /Pending changes/ }).textContent).toContain('1 pending'));
    expect(within(statusPanel(screen)).getByText('Active')).toBeTruthy();
  });

  test('review mode makes a draft even online', async () => {
    const { screen, user } = renderApp({ hash: '#/integrations/huntress', withDrafts: false, reviewMode: true });
    await screen.findByText(/entries loaded/);
    expect(screen.getByText(/Review mode is on/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Saved as a draft')).toBeTruthy();
  });

  test('health never checked reads "Not checked yet", with no last check', async () => {
    const { screen } = renderApp({ hash: '#/integrations/huntress', withDrafts: false });
    await screen.findByText(/entries loaded/);
    const panel = statusPanel(screen);
    expect(within(panel).getByText('Health').nextElementSibling?.textContent).toBe('Not checked yet');
    expect(within(panel).getByText('Last check').nextElementSibling?.textContent).toBe('Never');
  });

  test('after a change is applied, health reads "Not checked since the last change" next to the old check time', async () => {
    const { screen, source, user } = renderApp({ hash: '#/integrations/syncro', withDrafts: false, reviewMode: true });
    await screen.findByText(/entries loaded/);
    const panel = statusPanel(screen);
    expect(within(panel).getByText('Health').nextElementSibling?.textContent).toBe('Healthy');
    // Applied from Pending changes, as the e2e does: no connection test follows.
    await user.selectOptions(screen.getByLabelText(/Status for new tickets/), 'Scheduled');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await screen.findByText('Saved as a draft');
    expect(await source.applyDrafts('all')).toMatchObject({ applied: 1 });
    await waitFor(() => expect(within(panel).getByText('Health').nextElementSibling?.textContent).toBe('Not checked since the last change'));
    expect(within(panel).getByText('Last check').nextElementSibling?.textContent).toBe('4 minutes ago');
  });

  test('MSP360 shows its MSPBackups link, its error message and a failing test', async () => {
    const { screen, user } = renderApp({ hash: '#/integrations/msp360' });
    await screen.findByText(/entries loaded/);
    expect(screen.getByRole('link', { name: /Open MSPBackups/ }).getAttribute('href')).toBe('https://mspbackups.com/');
    const panel = statusPanel(screen);
    expect(within(panel).getByText('Failing')).toBeTruthy();
    expect(within(panel).getByText(/MSP360 refused the API login \(401 Unauthorized\)/)).toBeTruthy();
    expect(within(panel).getByRole('img', { name: /Health over the last/ })).toBeTruthy();
    await user.click(within(panel).getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('MSP360 Managed Backup: connection failed')).toBeTruthy();
  });

  test('delete asks first; Cancel changes nothing, confirming removes the configuration', async () => {
    const { screen, user } = renderApp({ hash: '#/integrations/syncro', withDrafts: false });
    await screen.findByText(/entries loaded/);
    const open = screen.getByRole('button', { name: 'Delete configuration…' });
    await user.click(open);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the Syncro PSA configuration?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(open);
    await user.click(open);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete configuration' }));
    expect(await screen.findByText('Syncro PSA configuration deleted')).toBeTruthy();
    await waitFor(() => expect(within(statusPanel(screen)).getByText('Not Configured')).toBeTruthy());
    expect(screen.getByRole('button', { name: 'Save and connect' })).toBeTruthy();
  });

  test('the audit list pages in older entries', async () => {
    const { screen, user } = renderApp({ hash: '#/integrations/syncro' });
    expect(await screen.findByText('25 entries loaded')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Load older entries' }));
    expect(await screen.findByText('50 entries loaded')).toBeTruthy();
  });
});

describe('IntegrationDetail: uptime', () => {
  test("shows the source's uptime (time-weighted by the server), not the share of checks", async () => {
    const { screen, source } = renderApp({ hash: '#/integrations/syncro', withDrafts: false });
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
    // Two of three checks failed, yet the integration was up for most of the time.
    source.getHealthHistory = async () => ({
      samples: [
        { at: at(20), health: 'ok' },
        { at: at(2), health: 'error' },
        { at: at(1), health: 'error' },
      ],
      uptimePercent: 81.8,
    });
    const panel = await screen.findByRole('region', { name: 'Status' });
    await waitFor(() => expect(within(panel).getByText('81.8%')).toBeTruthy());
    expect(panel.textContent).toContain('over the last 19 hours · 3 checks');
  });
});

describe('IntegrationDetail: read-only roles', () => {
  test('a technician sees settings and status read-only, without mutation controls, and why', async () => {
    const { screen } = renderApp({ signedInAs: 'tech@acme.test', hash: '#/integrations/syncro' });
    await screen.findByText(/entries loaded/);
    expect(screen.getByText(/Technicians can view integrations, status and audit/)).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Save/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Replace/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Test connection' })).toBeNull();
    expect(screen.queryByRole('link', { name: /Pending changes/ })).toBeNull();
    expect(screen.getByText('Saved ••••9b2c')).toBeTruthy();
  });

  test('the dev partner views another partner read-only through the switcher', async () => {
    const { screen, user } = renderApp({ signedInAs: 'ops@acg.test', hash: '#/integrations/syncro' });
    await screen.findByText(/entries loaded/);
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Viewing partner'), 'Northwind MSP');
    expect(await screen.findByText(/viewing another partner’s integrations to support them/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Save/ })).toBeNull();
    expect(await screen.findByText('Saved ••••9911')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back to ACG' }));
    expect(await screen.findByRole('button', { name: 'Save changes' })).toBeTruthy();
  });
});
