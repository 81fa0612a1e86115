import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { LocalDataSource } from './app/data/local/LocalDataSource';
import { NoLaunchToken } from './app/NoLaunchToken';
import { connectLocal, hasLaunchToken } from './app/localClient';

/**
 * The renderer's entry: the UI over the desktop core's local API (IPC in Electron, loopback HTTP
 * with the launch token in browser mode). Nothing here talks to the server.
 */
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

if (!hasLaunchToken()) {
  createRoot(root).render(
    <StrictMode>
      <NoLaunchToken />
    </StrictMode>,
  );
} else {
  const { client, openEvents, shell } = connectLocal();
  const source = new LocalDataSource(client, openEvents, shell);
  // Coming back to the window (or the network coming back) is a good moment to sync.
  const focus = () => void client.sync.focus.mutate().catch(() => undefined);
  window.addEventListener('focus', focus);
  window.addEventListener('online', focus);
  createRoot(root).render(
    <StrictMode>
      <App source={source} />
    </StrictMode>,
  );
}
