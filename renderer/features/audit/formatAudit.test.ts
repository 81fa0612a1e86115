import { expect, test } from 'vitest';
import type { AuditEntry } from '../../../shared/integrations/catalog.js';
import { actorLabel, describeChange, entrySummary } from './formatAudit.js';

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

const healthRow = (details: AuditEntry['details']): AuditEntry => ({
  id: 1, integrationKey: 'msp360', action: 'health_changed', actor: 'system', actorKind: 'system', userId: null, createdAt: new Date().toISOString(), details,
});

test('health rows summarise the transition and message', () => {
  expect(entrySummary(healthRow({ fromStatus: 'Active', toStatus: 'Error', health: 'error', message: '401 Unauthorized' }))).toBe('Active → Error · 401 Unauthorized');
});

test('a stored no-op "transition" folds into its health instead of reading Active → Active', () => {
  expect(entrySummary({ ...healthRow({ fromStatus: 'Active', toStatus: 'Active', health: 'ok' }), action: 'tested' })).toBe('Healthy');
});

test('the system is named by what it did; people by their email', () => {
  expect(actorLabel(healthRow({}))).toBe('automatic check');
  expect(actorLabel({ ...healthRow({}), action: 'migrated' })).toBe('by the system');
  expect(actorLabel({ ...healthRow({}), action: 'tested', actor: 'admin@northwind.example', actorKind: 'user' })).toBe('by admin@northwind.example');
});
