import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBrowserModeCore, type BrowserModeCore } from '../../electron/core/browserMode.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const rendererDir = path.join(repoRoot, 'out/renderer');

export interface Desktop {
  core: BrowserModeCore;
  /** The URL to open, with the per-launch token in the fragment. */
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The desktop core in browser mode, as `npm run desktop -- --browser` runs it: a Node process
 * (here: this one) serving the built renderer and the local API on 127.0.0.1 behind a launch
 * token, with its SQLite cache in a temporary data directory. Retries are quick so an outage
 * ends within a second of the server coming back; everything else is the shipped behaviour.
 */
export async function startDesktop(options: { serverUrl: string | null; defaultServerUrl?: string | null }): Promise<Desktop> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ic-e2e-desktop-'));
  const core = await startBrowserModeCore({
    serverUrl: options.serverUrl,
    defaultServerUrl: options.defaultServerUrl ?? null,
    dataDir,
    port: 0,
    staticDir: rendererDir,
    engineOptions: { backoff: { baseMs: 200, maxMs: 1_000 } },
  });
  return {
    core,
    url: core.host.url,
    dataDir,
    async close() {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
