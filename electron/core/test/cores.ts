import { afterEach } from 'vitest';
import type { DesktopCoreOptions } from '../desktopCore.js';
import { openCore, removeDir, type CoreHandle, type EngineOptions, type SyncServer, type SyncUser } from './syncHarness.js';
import { waitFor } from './waitFor.js';

export interface OpenOptions {
  /** Reopen this data folder (a restart of the app). */
  dir?: string;
  engine?: EngineOptions;
  extra?: Pick<DesktopCoreOptions, 'fleetPaging' | 'fetch'>;
}

/**
 * The desktop cores one real-server test file opens. After each test they are closed and their
 * folders removed, and the server is brought back up if the test stopped it.
 */
export function coresOf(server: () => SyncServer) {
  const opened: CoreHandle[] = [];
  afterEach(async () => {
    const s = server();
    if (!s.app) await s.up();
    for (const h of opened.splice(0)) {
      await h.close();
      await removeDir(h.dir);
    }
  });
  const open = async (options: OpenOptions = {}): Promise<CoreHandle> => {
    const h = await openCore(server().url, options.dir, options.engine, options.extra);
    opened.push(h);
    return h;
  };
  return {
    open,
    /** A core signed in as `user` (unless a reopened folder still is) that has synced once. */
    async signedIn(user: SyncUser, options: OpenOptions = {}): Promise<CoreHandle> {
      const h = await open(options);
      if (h.core.session.status().state !== 'signedIn') await h.core.services.session.login({ email: user.email, password: user.password });
      await waitFor(() => h.core.services.sync.status().lastSyncedAt);
      return h;
    },
    /** A core the test closed itself to reopen its folder: not closed or removed after the test. */
    release(h: CoreHandle): void {
      opened.splice(opened.indexOf(h), 1);
    },
  };
}
