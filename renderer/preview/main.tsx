import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../app/App.js';
import { cannedSource } from './cannedSource.js';

/**
 * Dev preview: the real screens over canned data (no core, no server, no rules; changes are
 * refused). The query string picks the scenario: `?as=admin|tech|dev|none`, `&offline=1`,
 * `&review=1`, `&drafts=0`, `&latency=250`, `&firstrun=1`, `&ended=1` (with `as=none`).
 */
const params = new URLSearchParams(window.location.search);
const as = params.get('as') ?? 'admin';
const source = cannedSource({
  as: as === 'admin' || as === 'tech' || as === 'dev' ? as : null,
  online: params.get('offline') !== '1',
  reviewMode: params.get('review') === '1',
  withDrafts: params.get('drafts') !== '0',
  latencyMs: Number(params.get('latency') ?? 250),
  firstRun: params.get('firstrun') === '1',
  sessionEnded: params.get('ended') === '1',
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App source={source} />
  </StrictMode>,
);
