import { expect, test } from 'vitest';
import { hrefFor, parseHash, type Route } from './router.js';

test('every route round-trips through its href', () => {
  const routes: Route[] = [{ name: 'catalog' }, { name: 'integration', key: 'msp360' }, { name: 'changes' }, { name: 'fleet' }, { name: 'mappings', key: 'syncro' }, { name: 'activity', key: 'syncro' }, { name: 'actions', key: 'syncro' }, { name: 'automations' }, { name: 'automation', id: 'new' }, { name: 'automation', id: 12 }, { name: 'automationRun', runId: 7 }];
  for (const route of routes) expect(parseHash(hrefFor(route))).toEqual(route);
});

test('unknown paths and bad keys are not found, never a detail route', () => {
  expect(parseHash('#/integrations/../etc')).toEqual({ name: 'notFound', path: '/integrations/../etc' });
  expect(parseHash('#/nope')).toEqual({ name: 'notFound', path: '/nope' });
  expect(parseHash('#/integrations/Bad/activity')).toEqual({ name: 'notFound', path: '/integrations/Bad/activity' });
  expect(parseHash('#/automations/0')).toEqual({ name: 'notFound', path: '/automations/0' });
  // Created offline, not yet sent: shown under its kept draft's (negative) id.
  expect(parseHash('#/automations/-3')).toEqual({ name: 'automation', id: -3 });
  expect(parseHash('#/automations/runs/x')).toEqual({ name: 'notFound', path: '/automations/runs/x' });
  expect(parseHash('')).toEqual({ name: 'catalog' });
});
