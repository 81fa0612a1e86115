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
} as const;

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
