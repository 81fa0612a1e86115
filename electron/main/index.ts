import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow} from 'electron';
import { app, powerMonitor, session } from 'electron';
import { appOrigin } from '../../shared/ipc.js';
import { createDesktopCore, type DesktopCore } from '../core/desktopCore.js';
import { attachLocalApi } from './ipc.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { electronSecretBox, electronTokenStore, keyringStatus } from './safeStorage.js';
import { startUpdates } from './updater.js';
import { createMainWindow, denyAllPermissions } from './window.js';

/**
 * Electron entry: a thin shell around the desktop core. Windows, the app:// scheme, IPC and
 * the OS keyring live here; everything else is the same code browser mode runs.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const trustedOrigin = devRendererUrl ? new URL(devRendererUrl).origin : appOrigin;

registerAppScheme();
app.enableSandbox();

let core: DesktopCore | null = null;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  // Every web contents, including any a bug might create: no navigation, no popups, no webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.whenReady().then(start, (error: unknown) => {
    console.error(error);
    app.exit(1);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void core?.close();
  });
}

async function start(): Promise<void> {
  denyAllPermissions(session.defaultSession);
  serveRenderer(path.join(here, '../renderer'));
  const dataDir = process.env.DESKTOP_DATA_DIR ?? app.getPath('userData');
  const keyring = keyringStatus();
  if (!keyring.usable && keyring.note) console.warn(keyring.note);
  core = await createDesktopCore({
    // SERVER_URL overrides the address saved in settings; a packaged app without either asks at first run.
    serverUrl: process.env.SERVER_URL,
    defaultServerUrl: app.isPackaged ? null : 'http://127.0.0.1:8787',
    dataDir,
    tokenStore: electronTokenStore(dataDir),
    secretBox: await electronSecretBox(dataDir),
  });
  const services = core.services;
  mainWindow = createMainWindow({ preload: path.join(here, '../preload/index.cjs') });
  attachLocalApi(mainWindow, services, trustedOrigin);
  startUpdates(mainWindow, trustedOrigin);
  // Pull when the user comes back: focus, wake from sleep, network back.
  mainWindow.on('focus', () => safely(() => services.sync.focus()));
  powerMonitor.on('resume', () => safely(() => services.sync.focus()));
  await mainWindow.loadURL(devRendererUrl ?? `${appOrigin}/index.html`);
}

/** Signed out there is no cache to sync; that is not an error worth a crash. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // nothing to sync yet
  }
}
