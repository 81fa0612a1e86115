import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: four screens do not need a dependency, and hash URLs work the same under
 * Electron's custom scheme and in browser mode.
 */
export type Route =
  | { name: 'catalog' }
  | { name: 'integration'; key: string }
  | { name: 'mappings'; key: string }
  | { name: 'activity'; key: string }
  | { name: 'actions'; key: string }
  | { name: 'clients' }
  | { name: 'client'; id: number }
  | { name: 'ticketUpdate'; clientId: number }
  | { name: 'changes' }
  | { name: 'fleet' }
  | { name: 'alerts' }
  | { name: 'automations' }
  | { name: 'automation'; id: number | 'new' }
  | { name: 'automationRun'; runId: number }
  | { name: 'settings' }
  | { name: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '/integrations') return { name: 'catalog' };
  if (path === '/changes') return { name: 'changes' };
  if (path === '/fleet') return { name: 'fleet' };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/alerts') return { name: 'alerts' };
  if (path === '/clients') return { name: 'clients' };
  if (path === '/automations') return { name: 'automations' };
  if (path === '/automations/new') return { name: 'automation', id: 'new' };
  // Negative: an automation created offline, not yet sent (its kept draft's id).
  const automation = /^\/automations\/(-?[1-9][0-9]{0,14})$/.exec(path);
  if (automation?.[1]) return { name: 'automation', id: Number(automation[1]) };
  const run = /^\/automations\/runs\/([1-9][0-9]{0,14})$/.exec(path);
  if (run?.[1]) return { name: 'automationRun', runId: Number(run[1]) };
  const client = /^\/clients\/([1-9][0-9]{0,14})(\/update)?$/.exec(path);
  if (client?.[1]) return client[2] ? { name: 'ticketUpdate', clientId: Number(client[1]) } : { name: 'client', id: Number(client[1]) };
  const mappings = /^\/integrations\/([a-z][a-z0-9_-]{0,63})\/mappings$/.exec(path);
  if (mappings?.[1]) return { name: 'mappings', key: mappings[1] };
  const activity = /^\/integrations\/([a-z][a-z0-9_-]{0,63})\/activity$/.exec(path);
  if (activity?.[1]) return { name: 'activity', key: activity[1] };
  const actions = /^\/integrations\/([a-z][a-z0-9_-]{0,63})\/actions$/.exec(path);
  if (actions?.[1]) return { name: 'actions', key: actions[1] };
  const detail = /^\/integrations\/([a-z][a-z0-9_-]{0,63})$/.exec(path);
  if (detail?.[1]) return { name: 'integration', key: detail[1] };
  return { name: 'notFound', path };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'catalog':
      return '#/';
    case 'integration':
      return `#/integrations/${route.key}`;
    case 'mappings':
      return `#/integrations/${route.key}/mappings`;
    case 'activity':
      return `#/integrations/${route.key}/activity`;
    case 'actions':
      return `#/integrations/${route.key}/actions`;
    case 'clients':
      return '#/clients';
    case 'client':
      return `#/clients/${route.id}`;
    case 'ticketUpdate':
      return `#/clients/${route.clientId}/update`;
    case 'changes':
      return '#/changes';
    case 'fleet':
      return '#/fleet';
    case 'alerts':
      return '#/alerts';
    case 'automations':
      return '#/automations';
    case 'automation':
      return `#/automations/${route.id}`;
    case 'automationRun':
      return `#/automations/runs/${route.runId}`;
    case 'settings':
      return '#/settings';
    case 'notFound':
      return `#${route.path}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash, () => '');
  return parseHash(hash);
}
