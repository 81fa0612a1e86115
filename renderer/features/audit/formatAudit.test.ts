import { expect, test } from 'vitest';
import { describeChange, entrySummary } from './formatAudit.js';

const labels = { api_token: 'API token', sync_assets: 'Import assets' };

test('secrets read set/changed/cleared whatever the row carries', () => {
  expect(describeChange({ field: 'api_token', before: null, after: 'set', secret: true }, labels)).toEqual({ label: 'API token', text: 'set' });
  expect(describeChange({ field: 'api_token', before: 'changed', after: 'hunter2', secret: true }, labels)).toEqual({ label: 'API token', text: 'changed' });
  expect(describeChange({ field: 'api_token', before: 'changed', after: 'cleared', secret: true }, labels)).toEqual({ label: 'API token', text: 'cleared' });
});

test('plain changes show before → after with readable empties and booleans', () => {
  expect(describeChange({ field: 'sync_assets', before: false, after: true, secret: false }, labels).text).toBe('Off → On');
  expect(describeChange({ field: 'subdomain', before: '', after: 'acme', secret: false }, labels)).toEqual({ label: 'subdomain', text: '(empty) → acme' });
});

test('health rows summarise the transition and message', () => {
  const summary = entrySummary({
    id: 1, integrationKey: 'msp360', action: 'health_changed', actor: 'system', userId: null, createdAt: new Date().toISOString(),
    details: { fromStatus: 'Active', toStatus: 'Error', health: 'error', message: '401 Unauthorized' },
  });
  expect(summary).toBe('Active → Error · 401 Unauthorized');
});
