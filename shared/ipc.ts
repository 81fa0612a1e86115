/**
 * The preload contract: the only things the sandboxed renderer can reach in Electron. Named
 * functions, no channel names from the renderer, no generic `invoke(channel, …)`. The main process
 * treats every argument as untrusted and checks the sender frame on every call.
 */

/** IPC channel names, used by the preload and the main process only. */
export const ipcChannels = {
  /** trpc-electron's fixed channel; carries local API calls (tRPC operations). */
  trpc: 'trpc-electron',
  openExternal: 'ic:open-external',
  /** Renderer → main: the current update status. */
  updateStatus: 'ic:update-status',
  /** Main → renderer: the update status changed (pushed to our window only). */
  updateChanged: 'ic:update-changed',
  /** Renderer → main: the user chose "Restart now" for a downloaded update. */
  updateRestart: 'ic:update-restart',
} as const;

/**
 * Where the desktop app stands on updates. `disabled`: no feed, or not a packaged build;
 * `ready`: downloaded and waiting for the user's consent — nothing installs before
 * `restartToUpdate()` is called, not even on quit.
 */
export const updateStates = ['disabled', 'idle', 'checking', 'downloading', 'ready'] as const;
export type UpdateState = (typeof updateStates)[number];

export interface UpdateStatus {
  state: UpdateState;
  /** The version being downloaded or ready to install. */
  version: string | null;
  /** Download progress in percent while `downloading`. */
  percent: number | null;
  /** When the feed last answered (ISO time); a failing feed leaves it unchanged. */
  lastCheckedAt: string | null;
}

/**
 * `window.electronTRPC`: the shape `trpc-electron`'s `ipcLink` looks for. It moves tRPC
 * operations on the one tRPC channel; what an operation may do is decided by the local API router.
 */
export interface ElectronTrpcBridge {
  sendMessage(message: unknown): void;
  onMessage(callback: (message: unknown) => void): void;
}

/** `window.integrationCenter`: shell functions the UI needs beside the local API. */
export interface IntegrationCenterBridge {
  /** Opens an https link in the system browser if its origin is allowed; resolves to whether it did. */
  openExternal(url: string): Promise<boolean>;
  /** The update status now (the UI shows "update ready — restart?" when `ready`). */
  updateStatus(): Promise<UpdateStatus>;
  /** Calls back on every update status change; returns the unsubscribe function. */
  onUpdateStatus(callback: (status: UpdateStatus) => void): () => void;
  /**
   * The user's consent: quits, installs the downloaded update and relaunches. Resolves to false
   * (and does nothing) when no update is ready.
   */
  restartToUpdate(): Promise<boolean>;
  /** 'electron' here; the browser-mode renderer has no bridge at all. */
  readonly shell: 'electron';
}

/** The globals the preload defines, for `declare global` in the renderer. */
export interface PreloadGlobals {
  electronTRPC: ElectronTrpcBridge;
  integrationCenter: IntegrationCenterBridge;
}

/** The custom scheme and host the renderer is served from in Electron (`app://renderer/…`). */
export const appScheme = 'app';
export const appHost = 'renderer';
export const appOrigin = `${appScheme}://${appHost}`;
