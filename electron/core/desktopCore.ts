import { mkdir } from 'node:fs/promises';
import type { LocalServices } from './api/contract.js';
import { createLocalServices } from './api/localServices.js';
import type { SecretBox } from './secrets/secretBox.js';
import { httpServerClient } from './session/serverClient.js';
import { httpServerExtras } from './session/serverExtras.js';
import { DesktopSession, type SessionOptions } from './session/session.js';
import type { TokenStore } from './session/tokenStore.js';
import { trpcSyncTransport } from './sync/trpcTransport.js';

export interface DesktopCoreOptions {
  serverUrl: string;
  dataDir: string;
  tokenStore: TokenStore;
  secretBox: SecretBox;
  engineOptions?: SessionOptions['engineOptions'];
  onChange?: () => void;
}

export interface DesktopCore {
  session: DesktopSession;
  services: LocalServices;
  close(): Promise<void>;
}

/**
 * The desktop core, the same in Electron's main process and in browser mode: session, cache,
 * sync engine and the local API services. Only the token store and the secret box differ.
 */
export async function createDesktopCore(options: DesktopCoreOptions): Promise<DesktopCore> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const http = { serverUrl: options.serverUrl };
  const session = new DesktopSession({
    dataDir: options.dataDir,
    serverUrl: options.serverUrl,
    tokenStore: options.tokenStore,
    secretBox: options.secretBox,
    server: httpServerClient(http),
    createTransport: (t) => trpcSyncTransport({ ...http, ...t }),
    engineOptions: options.engineOptions,
    onChange: options.onChange,
  });
  await session.restore();
  const extras = httpServerExtras(http, () => session.serverAccess());
  return { session, services: createLocalServices(session, options.secretBox, extras), close: () => session.close() };
}
