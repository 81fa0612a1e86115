import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createLocalServices } from './api/localServices.js';
import { startLocalHost, type LocalHost } from './host/httpHost.js';
import { keyFileSecretBox } from './secrets/secretBox.js';
import { httpServerClient } from './session/serverClient.js';
import { DesktopSession, type SessionOptions } from './session/session.js';
import { fileTokenStore } from './session/tokenStore.js';
import { trpcSyncTransport } from './sync/trpcTransport.js';

export interface BrowserModeOptions {
  serverUrl: string;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer; null serves the API only (tests). */
  staticDir: string | null;
  engineOptions?: SessionOptions['engineOptions'];
}

export interface BrowserModeCore {
  host: LocalHost;
  session: DesktopSession;
  close(): Promise<void>;
}

/**
 * The desktop core as a plain Node process (browser mode): the token in a 0600 file, draft
 * secrets under a 0600 key file, the local API and the renderer on 127.0.0.1 behind a fresh
 * launch token.
 */
export async function startBrowserModeCore(options: BrowserModeOptions): Promise<BrowserModeCore> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const secretBox = await keyFileSecretBox(options.dataDir);
  const http = { serverUrl: options.serverUrl };
  const session = new DesktopSession({
    dataDir: options.dataDir,
    serverUrl: options.serverUrl,
    tokenStore: fileTokenStore(options.dataDir),
    secretBox,
    server: httpServerClient(http),
    createTransport: (t) => trpcSyncTransport({ ...http, ...t }),
    engineOptions: options.engineOptions,
  });
  await session.restore();
  const host = await startLocalHost({
    services: createLocalServices(session, secretBox),
    launchToken: randomBytes(32).toString('base64url'),
    port: options.port,
    staticDir: options.staticDir,
  });
  return {
    host,
    session,
    async close() {
      await host.close();
      await session.close();
    },
  };
}
