import { randomBytes } from 'node:crypto';
import { createDesktopCore, type DesktopCore, type DesktopCoreOptions } from './desktopCore.js';
import { startLocalHost, type LocalHost } from './host/httpHost.js';
import { keyFileSecretBox } from './secrets/secretBox.js';
import { fileTokenStore } from './session/tokenStore.js';

export interface BrowserModeOptions {
  /** SERVER_URL: overrides the saved setting. */
  serverUrl?: string | null;
  /** When neither SERVER_URL nor a saved setting gives one. */
  defaultServerUrl?: string | null;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer; null serves the API only (tests). */
  staticDir: string | null;
  engineOptions?: DesktopCoreOptions['engineOptions'];
}

export interface BrowserModeCore {
  host: LocalHost;
  session: DesktopCore['session'];
  close(): Promise<void>;
}

/**
 * The desktop core as a plain Node process (browser mode): the token in a 0600 file, draft
 * secrets under a 0600 key file, the local API and the renderer on 127.0.0.1 behind a fresh
 * launch token.
 */
export async function startBrowserModeCore(options: BrowserModeOptions): Promise<BrowserModeCore> {
  const core = await createDesktopCore({
    serverUrl: options.serverUrl,
    defaultServerUrl: options.defaultServerUrl,
    dataDir: options.dataDir,
    tokenStore: fileTokenStore(options.dataDir),
    secretBox: await keyFileSecretBox(options.dataDir),
    engineOptions: options.engineOptions,
  });
  const host = await startLocalHost({
    services: core.services,
    launchToken: randomBytes(32).toString('base64url'),
    port: options.port,
    staticDir: options.staticDir,
  });
  return {
    host,
    session: core.session,
    async close() {
      await host.close();
      await core.close();
    },
  };
}
