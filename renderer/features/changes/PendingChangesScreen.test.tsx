import { waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { renderApp } from '../../test/renderApp.js';

type Ctx = ReturnType<typeof renderApp>;
const card = (ctx: Ctx, name: string) => ctx.screen.getByRole('heading', { name }).closest('article') as HTMLElement;
const rowText = (table: HTMLElement, field: string) => within(table).getByRole('rowheader', { name: new RegExp(`^${field}`) }).closest('tr')?.textContent;

async function open(options: Parameters<typeof renderApp>[0] = {}) {
  const ctx = renderApp({ hash: '#/changes', ...options });
  await ctx.screen.findByRole('heading', { name: 'Huntress' });
  return ctx;
}

describe('Pending changes', () => {
  test('lists drafts with field diffs against the server; secrets read "changed"', async () => {
    const ctx = await open();
    const huntress = card(ctx, 'Huntress');
    const table = within(huntress).getByRole('table');
    expect(rowText(table, 'API key')).toBe('API keyhk_acme_01hk_acme_02');
    expect(rowText(table, 'API secret')).toBe('API secretSaved ••••5521changed');
    expect(rowText(table, 'Include low-severity incidents')).toBe('Include low-severity incidentsOffOn');
    expect(ctx.container.innerHTML).not.toContain('hs-rotated');
    expect(within(card(ctx, 'NinjaOne')).getByText('Set up', { exact: false })).toBeTruthy();
  });

  test('applying one draft sends it to the server and removes it', async () => {
    const ctx = await open();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Apply the Huntress draft' }));
    expect(await ctx.screen.findByText('Change applied')).toBeTruthy();
    await waitFor(() => expect(ctx.screen.queryByRole('heading', { name: 'Huntress' })).toBeNull());
    const detail = await ctx.source.getIntegration('huntress');
    expect(detail.settings?.api_key).toBe('hk_acme_02');
    expect(detail.settings?.api_secret).toEqual({ isSet: true, last4: '9090' });
  });

  test('discarding asks first and leaves the server as it was', async () => {
    const ctx = await open();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Discard the Huntress draft' }));
    await ctx.user.click(within(ctx.screen.getByRole('alertdialog')).getByRole('button', { name: 'Discard draft' }));
    await waitFor(() => expect(ctx.screen.queryByRole('heading', { name: 'Huntress' })).toBeNull());
    expect((await ctx.source.getIntegration('huntress')).settings?.api_key).toBe('hk_acme_01');
  });

  test('editing a draft keeps its secret when left blank', async () => {
    const ctx = await open();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Edit the Huntress draft' }));
    const huntress = card(ctx, 'Huntress');
    const key = within(huntress).getByLabelText(/API key/);
    expect((key as HTMLInputElement).value).toBe('hk_acme_02');
    await ctx.user.clear(key);
    await ctx.user.type(key, 'hk_acme_03');
    await ctx.user.click(within(huntress).getByRole('button', { name: 'Save draft' }));
    await ctx.screen.findByText('Draft updated');
    const table = within(card(ctx, 'Huntress')).getByRole('table');
    expect(rowText(table, 'API key')).toBe('API keyhk_acme_01hk_acme_03');
    expect(rowText(table, 'API secret')).toBe('API secretSaved ••••5521changed');
  });

  test('a conflict shows base, server and draft, needs a choice on overlapping fields, then rebases', async () => {
    const ctx = await open();
    const syncro = card(ctx, 'Syncro PSA');
    const table = within(syncro).getByRole('table');
    const status = within(table).getByRole('rowheader', { name: /^Status for new tickets/ }).closest('tr') as HTMLElement;
    expect(within(status).getByText('Changed on both sides')).toBeTruthy();
    expect(within(status).getAllByRole('cell')[0]?.textContent).toBe('New');
    expect(within(status).getByRole('radio', { name: 'In Progress: keep the server’s Status for new tickets' })).toBeTruthy();
    expect(within(status).getByRole('radio', { name: 'Scheduled: use your draft’s Status for new tickets' })).toBeTruthy();
    const resolve = within(syncro).getByRole('button', { name: 'Use these values' }) as HTMLButtonElement;
    expect(resolve.disabled).toBe(true);
    expect((within(syncro).getByRole('radio', { name: /keep the server’s Import assets nightly/ }) as HTMLInputElement).checked).toBe(true);
    await ctx.user.click(within(syncro).getByRole('radio', { name: /use your draft’s Status for new tickets/ }));
    await ctx.user.click(resolve);
    await ctx.screen.findByText('Syncro PSA: conflict resolved');
    await waitFor(() => expect(within(card(ctx, 'Syncro PSA')).getByText('Draft', { selector: '.badge' })).toBeTruthy());
    const diff = within(card(ctx, 'Syncro PSA')).getByRole('table');
    expect(rowText(diff, 'Status for new tickets')).toBe('Status for new ticketsIn ProgressScheduled');
    expect(within(diff).queryByRole('rowheader', { name: /Import assets/ })).toBeNull();
  });

  test('offline, applying queues; reconnecting sends the queue', async () => {
    const ctx = await open({ online: false });
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Queue all (2)' }));
    expect(await ctx.screen.findByText('Queued until you’re back online')).toBeTruthy();
    await waitFor(() => expect(within(card(ctx, 'Huntress')).getByText('Waiting to send')).toBeTruthy());
    await ctx.source.setOnline(true);
    await waitFor(() => expect(ctx.screen.queryByRole('heading', { name: 'Huntress' })).toBeNull());
    expect(ctx.screen.queryByRole('heading', { name: 'NinjaOne' })).toBeNull();
    expect((await ctx.source.getIntegration('ninjaone')).state.status).toBe('Configured');
  });

  test('a queued change offers no Discard or Edit offline, says why, and the source refuses to discard it too', async () => {
    const ctx = await open({ online: false });
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Queue all (2)' }));
    await waitFor(() => expect(within(card(ctx, 'Huntress')).getByText('Waiting to send')).toBeTruthy());
    const huntress = card(ctx, 'Huntress');
    expect(within(huntress).getByRole('note').textContent).toMatch(/^Waiting to be sent — it will be applied when you’re back online\. .*can’t be edited or discarded\.$/);
    expect(within(huntress).queryByRole('button')).toBeNull();
    expect((ctx.screen.getByRole('button', { name: 'Queue all (0)' }) as HTMLButtonElement).disabled).toBe(true);
    // The conflict was not queued: it still offers its own way out.
    expect(within(card(ctx, 'Syncro PSA')).getByRole('button', { name: 'Discard the Syncro PSA draft' })).toBeTruthy();
    const queued = (await ctx.source.listDrafts()).find((d) => d.integrationKey === 'huntress');
    await expect(ctx.source.discardDraft(queued?.id ?? '')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await ctx.source.listDrafts()).some((d) => d.integrationKey === 'huntress')).toBe(true);
  });

  test('shows progress while pushing', async () => {
    const ctx = renderApp({ hash: '#/changes', latencyMs: 150 });
    await ctx.screen.findByRole('heading', { name: 'Huntress' }, { timeout: 5000 });
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Apply all (2)' }));
    const bar = await ctx.screen.findByRole('progressbar', { name: 'Applying changes' });
    expect(bar.getAttribute('aria-valuemax')).toBe('2');
    expect(await ctx.screen.findByText('Changes applied', {}, { timeout: 5000 })).toBeTruthy();
  });

  test('a draft the server refuses shows why and opens with the field errors', async () => {
    const ctx = renderApp({ hash: '#/integrations/syncro', withDrafts: false, online: false });
    await ctx.screen.findByText(/entries loaded/);
    const subdomain = ctx.screen.getByLabelText(/Subdomain/);
    await ctx.user.clear(subdomain);
    await ctx.user.type(subdomain, 'unknown');
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Save draft' }));
    await ctx.screen.findByText('Saved as a draft');
    window.location.hash = '#/changes';
    await ctx.screen.findByRole('heading', { name: 'Syncro PSA' });
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Queue all (1)' }));
    await ctx.source.setOnline(true);
    expect(await ctx.screen.findByText(/The server refused this change/)).toBeTruthy();
    await ctx.user.click(ctx.screen.getByRole('button', { name: 'Edit the Syncro PSA draft' }));
    const field = within(card(ctx, 'Syncro PSA')).getByLabelText(/Subdomain/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(`${field.id}-error`)?.textContent).toBe('No Syncro account answers at unknown.syncromsp.com');
  });

  test('technicians have no pending changes screen, and are told why', async () => {
    const ctx = renderApp({ signedInAs: 'tech@acme.test', hash: '#/changes' });
    expect(await ctx.screen.findByText(/Technicians can view integrations/)).toBeTruthy();
    expect(ctx.screen.queryByRole('button', { name: /Apply/ })).toBeNull();
  });
});
