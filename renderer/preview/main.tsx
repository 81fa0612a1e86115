import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../app/App.js';
import { MemoryDataSource } from '../app/data/memory/MemoryDataSource.js';

/**
 * Dev preview: the real screens over the in-memory fixture source. The query string picks the
 * scenario, e.g. `?as=tech`, `?as=dev`, `?as=none` (login), `&offline=1`, `&review=1`,
 * `&drafts=0`, `&latency=0`, `&firstrun=1` (server address screen), `&ended=1` (with `as=none`: the session ended).
 */
const params = new URLSearchParams(window.location.search);
const users: Record<string, string | null> = { admin: 'admin@acme.test', tech: 'tech@acme.test', dev: 'ops@acg.test', none: null };
const source = new MemoryDataSource({
  signedInAs: users[params.get('as') ?? 'admin'] ?? null,
  online: params.get('offline') !== '1',
  reviewMode: params.get('review') === '1',
  withDrafts: params.get('drafts') !== '0',
  latencyMs: Number(params.get('latency') ?? 250),
  firstRun: params.get('firstrun') === '1',
  sessionEndedFor: params.get('ended') === '1' ? 'admin@acme.test' : null,
});

declare global {
  interface Window {
    /** The preview's source, so the screenshot script can flip the connection. */
    __preview?: MemoryDataSource;
  }
}
window.__preview = source;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App source={source} />
  </StrictMode>,
);
