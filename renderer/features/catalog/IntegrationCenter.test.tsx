import { within } from '@testing-library/react';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { demoLogin, goOffline, openDesktop, World, type Desktop } from '../../test/desktopWorld.js';
import { renderApp } from '../../test/renderApp.js';

// The demo world: Northwind's Syncro is not set up, its MSP360 works; the catalog ships two entries.
let world: World;
let desktop: Desktop | null = null;
let proxy: PullGate | null = null;
beforeAll(async () => {
  world = await World.start();
});
afterEach(async () => {
  proxy?.release();
  await desktop?.close();
  desktop = null;
  await proxy?.close();
  proxy = null;
  await world.restart();
});
afterAll(() => world.close());

const cards = (screen: ReturnType<typeof renderApp>['screen']) => within(screen.getByRole('list', { name: 'Integrations' })).getAllByRole('listitem');

async function openAsNorthwind() {
  desktop = await openDesktop(world.url, { signIn: demoLogin(world, 'admin@northwind.example') });
  return desktop;
}

/**
 * A loopback proxy to the world's server that holds every sync pull until `release()` (a first
 * sync on a slow link), or with `fail` answers them 503 until then (a server in trouble).
 * Everything else (sign-in, the change feed) passes straight through.
 */
interface PullGate {
  url: string;
  release(): void;
  held(): number;
  close(): Promise<void>;
}

async function holdPulls(target: string, options: { fail?: boolean } = {}): Promise<PullGate> {
  let open = false;
  let refused = 0;
  let waiting: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (open || !req.url?.includes('sync.pull')) forward();
    else if (!options.fail) waiting.push(forward);
    else {
      refused += 1;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => waiting.length + refused,
    release() {
      open = true;
      for (const forward of waiting) forward();
      waiting = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('IntegrationCenter', () => {
  test('on a first sign-in, says the catalog is being fetched until the first pull lands, never that it is empty', async () => {
    proxy = await holdPulls(world.url);
    desktop = await openDesktop(proxy.url);
    const { screen } = renderApp(desktop.source);
    const login = desktop.source.login(demoLogin(world, 'admin@northwind.example'));
    const gate = proxy;
    await vi.waitFor(() => expect(gate.held()).toBeGreaterThan(0));
    expect(await screen.findByText('Fetching the catalog from the server for the first time…')).toBeTruthy();
    expect(screen.queryByText(/catalog is empty/)).toBeNull();
    proxy.release();
    await login;
    expect(await screen.findByText('Showing 8 of 8 integrations')).toBeTruthy();
  });

  test('a first sync that fails says so, and the catalog appears once a retry gets through', async () => {
    proxy = await holdPulls(world.url, { fail: true });
    desktop = await openDesktop(proxy.url);
    const { screen } = renderApp(desktop.source);
    await desktop.source.login(demoLogin(world, 'admin@northwind.example'));
    expect(await screen.findByText(/^The first sync failed: .+\. It is tried again by itself\.$/)).toBeTruthy();
    proxy.release();
    expect(await screen.findByText('Showing 8 of 8 integrations')).toBeTruthy();
  });

  test('shows a card per catalog entry with name, provider, category and status', async () => {
    const { screen } = renderApp((await openAsNorthwind()).source);
    await screen.findByText('Showing 8 of 8 integrations');
    const syncro = screen.getByRole('link', { name: /Syncro PSA/ });
    expect(syncro.getAttribute('href')).toBe('#/integrations/syncro');
    expect(within(syncro).getByText('Syncro · PSA')).toBeTruthy();
    expect(within(syncro).getByText('Not set up yet')).toBeTruthy();
    const msp360 = screen.getByRole('link', { name: /MSP360 Managed Backup/ });
    expect(within(msp360).getByText('Active').className).toContain('badge-ok');
  });

  test('filters by category and searches by text', async () => {
    const { screen, user } = renderApp((await openAsNorthwind()).source);
    await screen.findByText('Showing 8 of 8 integrations');
    await user.click(screen.getByRole('button', { name: /^Backup/ }));
    expect(screen.getByRole('button', { name: /^Backup/ }).getAttribute('aria-pressed')).toBe('true');
    expect(cards(screen).map((c) => within(c).getByRole('heading').textContent)).toEqual(['MSP360 Managed Backup']);
    await user.click(screen.getByRole('button', { name: /^All/ }));
    await user.type(screen.getByLabelText('Search integrations'), 'tickets');
    expect(cards(screen).map((c) => within(c).getByRole('heading').textContent)).toEqual(['Syncro PSA']);
    expect(screen.getByText('Showing 1 of 8 integrations')).toBeTruthy();
  });

  test('an empty result says so and offers to clear the filters', async () => {
    const { screen, user } = renderApp((await openAsNorthwind()).source);
    await screen.findByText('Showing 8 of 8 integrations');
    await user.type(screen.getByLabelText('Search integrations'), 'no such thing');
    expect(screen.getByRole('heading', { name: 'No integrations match' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(cards(screen)).toHaveLength(8);
  });

  test('works offline from the cache', async () => {
    const northwind = await openAsNorthwind();
    await goOffline(world, northwind);
    const { screen } = renderApp(northwind.source);
    await screen.findByText('Showing 8 of 8 integrations');
    expect((await screen.findByText('You’re offline.')).closest('[role="note"]')?.textContent).toContain('Changes you save are queued and applied by themselves when you reconnect.');
    expect(screen.getByText('Offline')).toBeTruthy();
    expect(screen.getByText(/Last synced/).textContent).toMatch(/Last synced .+ago|Last synced just now/);
  });
});
