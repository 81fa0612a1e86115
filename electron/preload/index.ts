import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, type ElectronTrpcBridge, type IntegrationCenterBridge, type UpdateStatus } from '../../shared/ipc.js';

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
  updateStatus: () => ipcRenderer.invoke(ipcChannels.updateStatus) as Promise<UpdateStatus>,
  onUpdateStatus: (callback) => {
    const listener = (_event: IpcRendererEvent, status: UpdateStatus) => callback(status);
    ipcRenderer.on(ipcChannels.updateChanged, listener);
    return () => {
      ipcRenderer.removeListener(ipcChannels.updateChanged, listener);
    };
  },
  restartToUpdate: () => ipcRenderer.invoke(ipcChannels.updateRestart).then((restarting: unknown) => restarting === true),
  shell: 'electron',
};

contextBridge.exposeInMainWorld('electronTRPC', electronTRPC);
contextBridge.exposeInMainWorld('integrationCenter', integrationCenter);
