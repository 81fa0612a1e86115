import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, ipcMain, type BrowserWindow } from 'electron';
import electronUpdater from 'electron-updater';
import { ipcChannels, type UpdateStatus } from '../../shared/ipc.js';
import { senderOf } from './ipc.js';
import { isTrustedSender } from './policy.js';
import { resolveUpdateFeed, UpdateFlow } from './updateFlow.js';

const disabledStatus: UpdateStatus = { state: 'disabled', version: null, percent: null, lastCheckedAt: null };

/**
 * Auto-update through electron-updater from a generic feed: checked at start and daily,
 * downloaded in the background, installed only when the user clicks "Restart now" in our window
 * (`autoInstallOnAppQuit` is off, so quitting never installs it either). A broken feed is one
 * log line. The IPC handlers exist even when updates are off, so the UI always gets an answer.
 */
export function startUpdates(win: BrowserWindow, trustedOrigin: string): UpdateFlow | null {
  const feed = resolveUpdateFeed({
    isPackaged: app.isPackaged,
    envUrl: process.env.UPDATE_FEED_URL,
    hasPackagedConfig: existsSync(path.join(process.resourcesPath, 'app-update.yml')),
  });
  let flow: UpdateFlow | null = null;

  ipcMain.handle(ipcChannels.updateStatus, (event) => {
    if (!isTrustedSender(senderOf(event, win), trustedOrigin)) return disabledStatus;
    return flow?.status() ?? disabledStatus;
  });
  ipcMain.handle(ipcChannels.updateRestart, (event) => {
    // The one path to an install: our window's main frame, an update ready, the user's click.
    if (!isTrustedSender(senderOf(event, win), trustedOrigin)) return false;
    return flow?.installNow() ?? false;
  });

  if (feed.kind === 'none') {
    console.warn(`Updates are off: ${feed.reason}.`);
    return null;
  }

  // Touching `autoUpdater` creates the platform's updater, so only once updates are on.
  const updater = electronUpdater.autoUpdater;
  updater.logger = null;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;
  if (feed.kind === 'url') updater.setFeedURL({ provider: 'generic', url: feed.url });

  const active = new UpdateFlow({
    driver: {
      async check() {
        const result = await updater.checkForUpdates();
        // Download failures also arrive as an 'error' event; this only avoids an unhandled rejection.
        result?.downloadPromise?.catch(() => undefined);
      },
      install: () => updater.quitAndInstall(false, true),
    },
    log: (line) => console.warn(line),
    onStatus: (status) => {
      if (!win.isDestroyed()) win.webContents.send(ipcChannels.updateChanged, status);
    },
  });
  updater.on('update-available', (info) => active.available(info.version));
  updater.on('update-not-available', () => active.notAvailable());
  updater.on('download-progress', (progress) => active.progress(progress.percent));
  updater.on('update-downloaded', (info) => active.downloaded(info.version));
  updater.on('error', (error) => {
    // Check failures reject checkForUpdates (handled by the flow); log download failures here.
    if (active.status().state === 'downloading') active.failed(error);
  });
  flow = active;
  app.on('will-quit', () => active.stop());
  active.start();
  return active;
}
