import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, type ElectronTrpcBridge, type IntegrationCenterBridge } from '../../shared/ipc.js';

/**
 * The sandboxed preload (bundled to CommonJS by electron-vite): exposes the named functions of
 * shared/ipc.ts and nothing else. The renderer never sees ipcRenderer or a channel name.
 */
const electronTRPC: ElectronTrpcBridge = {
  sendMessage: (message) => ipcRenderer.send(ipcChannels.trpc, message),
  onMessage: (callback) => {
    ipcRenderer.on(ipcChannels.trpc, (_event, message: unknown) => callback(message));
  },
};

const integrationCenter: IntegrationCenterBridge = {
  openExternal: (url) => ipcRenderer.invoke(ipcChannels.openExternal, String(url)).then((opened: unknown) => opened === true),
  shell: 'electron',
};

contextBridge.exposeInMainWorld('electronTRPC', electronTRPC);
contextBridge.exposeInMainWorld('integrationCenter', integrationCenter);
