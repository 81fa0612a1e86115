import { ipcMain, shell, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { createIPCHandler } from 'trpc-electron/main';
import { AppError } from '../../shared/errors.js';
import { ipcChannels } from '../../shared/ipc.js';
import type { LocalServices } from '../core/api/contract.js';
import { localRouter } from '../core/api/router.js';
import { isAllowedExternalUrl, isAllowedSignInUrl, isTrustedSender } from './policy.js';

/** What `isTrustedSender` needs to know about the frame behind an IPC message. */
export function senderOf(event: IpcMainEvent | IpcMainInvokeEvent, win: BrowserWindow) {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame.parent === null,
    fromOurWindow: !win.isDestroyed() && event.sender === win.webContents,
  };
}

/**
 * The local API over IPC (trpc-electron). trpc-electron does not check who sends; the context's
 * `checkCaller`, run by the router's base middleware on every call, refuses any frame that is
 * not our renderer, and the refusal still goes back as a normal tRPC error.
 */
export function attachLocalApi(win: BrowserWindow, services: LocalServices, trustedOrigin: string): void {
  createIPCHandler({
    router: localRouter,
    windows: [win],
    createContext: async ({ event }) => ({
      services,
      checkCaller: () => {
        if (!isTrustedSender(senderOf(event, win), trustedOrigin)) throw new AppError('FORBIDDEN', 'Refused: not the Integration Center window');
      },
    }),
  });

  ipcMain.handle(ipcChannels.openExternal, async (event, url: unknown) => {
    if (!isTrustedSender(senderOf(event, win), trustedOrigin)) return false;
    let allowed: boolean;
    try {
      // A catalog link (https, allowed origin), or the authorize URL of a sign-in waiting right now.
      allowed = isAllowedExternalUrl(url, services.shell.externalOrigins()) || isAllowedSignInUrl(url, services.shell.signInUrls());
    } catch {
      return false;
    }
    if (!allowed) return false;
    await shell.openExternal(String(url));
    return true;
  });
}
