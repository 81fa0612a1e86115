import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import { ipcLink } from 'trpc-electron/renderer';
import type { LocalRouter } from '../../electron/core/api/router';
import type { PreloadGlobals } from '../../shared/ipc';
import { launchFragmentKey, launchTokenHeader } from '../../shared/localApi';
import { openSseEvents, type OpenEvents } from './data/local/localEvents';
import type { AppShell } from './data/types';

declare global {
  // Defined by the preload in Electron; absent in browser mode.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Window extends Partial<PreloadGlobals> {}
}

export type LocalClient = TRPCClient<LocalRouter>;
export type { LocalRouter };

const storageKey = 'ic.launchToken';

/**
 * Browser mode: the core prints `http://127.0.0.1:PORT/#launch=TOKEN`. The token moves from the
 * fragment (never sent over the network) to sessionStorage, so a reload keeps working, and the
 * address bar is cleaned so it is not copied around. This is the local launch token only; the
 * server token never leaves the core.
 */
export function takeLaunchToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'> = window): string | null {
  const params = new URLSearchParams(win.location.hash.slice(1));
  const fromUrl = params.get(launchFragmentKey);
  if (fromUrl) {
    win.sessionStorage.setItem(storageKey, fromUrl);
    params.delete(launchFragmentKey);
    const rest = params.toString();
    win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`);
    return fromUrl;
  }
  return win.sessionStorage.getItem(storageKey);
}

/**
 * The client of the desktop core's local API: over IPC through the preload in Electron, over
 * loopback HTTP with the launch token in browser mode. The renderer talks to nothing else.
 */
export function createLocalClient(): LocalClient {
  if (window.electronTRPC) return createTRPCClient<LocalRouter>({ links: [ipcLink<LocalRouter>()] });
  const token = takeLaunchToken();
  return createTRPCClient<LocalRouter>({
    links: [httpBatchLink({ url: '/trpc', headers: () => (token ? { [launchTokenHeader]: token } : {}) })],
  });
}

/** The local API client, the core's event stream and which shell the app runs in. */
export interface LocalConnection {
  client: LocalClient;
  openEvents: OpenEvents;
  shell: AppShell;
}

/**
 * The client plus its event stream: in Electron the `events.subscribe` subscription over IPC;
 * in browser mode the same subscription read as SSE with the launch token in a header.
 */
export function connectLocal(): LocalConnection {
  const client = createLocalClient();
  if (window.electronTRPC) {
    const openEvents: OpenEvents = (onEvent) => {
      const subscription = client.events.subscribe.subscribe(undefined, { onData: onEvent, onError: () => undefined });
      return () => subscription.unsubscribe();
    };
    return { client, openEvents, shell: 'electron' };
  }
  const token = window.sessionStorage.getItem(storageKey);
  const openEvents = openSseEvents({ url: '/trpc/events.subscribe', headers: (): Record<string, string> => (token ? { [launchTokenHeader]: token } : {}) });
  return { client, openEvents, shell: 'browser' };
}

/** Whether the page was opened without a launch token (the UI then says to use the printed URL). */
export function hasLaunchToken(): boolean {
  return Boolean(window.electronTRPC) || window.sessionStorage.getItem(storageKey) !== null || window.location.hash.includes(`${launchFragmentKey}=`);
}
