import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanup } from '@testing-library/react';
import { createTRPCClient, unstable_localLink } from '@trpc/client';
import { World } from '../../e2e/harness/world.js';
import { localRouter } from '../../electron/core/api/router.js';
import { createDesktopCore, type DesktopCore, type DesktopCoreOptions } from '../../electron/core/desktopCore.js';
import { aesGcmSecretBox } from '../../electron/core/secrets/secretBox.js';
import { memoryTokenStore } from '../../electron/core/session/tokenStore.js';
import { SyncServer } from '../../electron/core/test/syncHarness.js';
import { dataTopics } from '../../shared/localApi.js';
import { LocalDataSource } from '../app/data/local/LocalDataSource.js';
import type { OpenEvents } from '../app/data/local/localEvents.js';
import type { LocalClient } from '../app/localClient.js';

export { SyncServer, World };

export interface DesktopOptions {
  /** Signs in first (and waits for the first sync); omitted: signed out. */
  signIn?: { email: string; password: string };
  /** Saves made online become drafts to review first. */
  reviewMode?: boolean;
  /** Fleet paging, to make the fleet "too large to read whole". */
  fleetPaging?: DesktopCoreOptions['fleetPaging'];
}

/** The real desktop core of one test, and the renderer's LocalDataSource over it. */
export interface Desktop {
  core: DesktopCore;
  client: LocalClient;
  source: LocalDataSource;
  close(): Promise<void>;
}

/**
 * The desktop core the app runs (session, SQLite cache, drafts, outbox, sync engine) against a
 * real server at `serverUrl` (null: the first run, no address chosen yet), reached by the
 * renderer's own LocalDataSource over an in-process tRPC link to the core's local API router.
 * The component tests exercise the product, not a stand-in; only the hosts differ from the app:
 * no IPC or loopback HTTP between renderer and core, a token store in memory, a fixed key for
 * draft secrets, and quick retries so a server coming back is noticed within a test's patience.
 */
export async function openDesktop(serverUrl: string | null, options: DesktopOptions = {}): Promise<Desktop> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-renderer-core-'));
  const core = await createDesktopCore({
    serverUrl,
    defaultServerUrl: null,
    dataDir,
    tokenStore: memoryTokenStore(),
    secretBox: aesGcmSecretBox(Buffer.alloc(32, 5)),
    engineOptions: { backoff: { baseMs: 100, maxMs: 400 } },
    fleetPaging: options.fleetPaging,
  });
  const client: LocalClient = createTRPCClient({
    links: [unstable_localLink({ router: localRouter, createContext: async () => ({ services: core.services, checkCaller: () => undefined }) })],
  });
  // The app reads the core's event stream over IPC or SSE; in-process it is the same stream.
  const openEvents: OpenEvents = (onEvent) => {
    onEvent({ topics: [...dataTopics], hello: true });
    return core.events.listen(onEvent);
  };
  const source = new LocalDataSource(client, openEvents, 'browser');
  if (options.signIn) {
    await source.login(options.signIn);
    if (options.reviewMode) await source.setReviewMode(true);
  }
  return {
    core,
    client,
    source,
    async close() {
      // Unmount first: a mounted screen would keep reading from the core while it closes.
      cleanup();
      await core.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}

/** A demo login of the world (`admin@northwind.example`, …) as sign-in input. */
export function demoLogin(world: World, email: string): { email: string; password: string } {
  const user = world.user(email);
  return { email: user.email, password: user.password };
}

/** Takes the server away and lets the core notice, as a lost connection would. */
export async function goOffline(world: World, desktop: Desktop): Promise<void> {
  await world.stop();
  await desktop.source.syncNow().catch(() => undefined);
}
