import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../../shared/integrations/fields.js';
import { createRegistry } from '../../integrations/registry.js';
import { createControllablePlugin } from '../../integrations/testing/controllablePlugin.js';
import { settingsChanges } from './auditDetails.js';

const fields: FieldSpec[] = [
  { key: 'login', label: 'Login', kind: 'Text', required: true, help: '' },
  { key: 'password', label: 'Password', kind: 'Secret', required: true, help: '' },
  { key: 'enabled', label: 'Enabled', kind: 'Bool', required: false, help: 'Not set means on', default: true },
  { key: 'verbose', label: 'Verbose', kind: 'Bool', required: false, help: '' },
];
const integration = createRegistry([createControllablePlugin({ key: 'demo', fields }).plugin]).get('demo')!;

describe('settingsChanges', () => {
  it('counts an unset Bool as its default: setting it to that default is no change', () => {
    expect(settingsChanges(integration, { login: 'a' }, { login: 'a', enabled: true })).toEqual([]);
    expect(settingsChanges(integration, { login: 'a' }, { login: 'a', enabled: false })).toEqual([{ field: 'enabled', before: true, after: false, secret: false }]);
    // Without a default, unset stays "empty".
    expect(settingsChanges(integration, { login: 'a' }, { login: 'a', verbose: false })).toEqual([{ field: 'verbose', before: null, after: false, secret: false }]);
  });

  it('shows what a new configuration holds, and what a deletion removes', () => {
    expect(settingsChanges(integration, undefined, { login: 'a', password: 'c1' })).toEqual([
      { field: 'login', before: null, after: 'a', secret: false },
      { field: 'password', before: null, after: 'set', secret: true },
      { field: 'enabled', before: null, after: true, secret: false },
    ]);
    expect(settingsChanges(integration, { login: 'a', password: 'c1', enabled: false }, undefined)).toEqual([
      { field: 'login', before: 'a', after: null, secret: false },
      { field: 'password', before: 'set', after: 'cleared', secret: true },
      { field: 'enabled', before: false, after: null, secret: false },
    ]);
  });

  it('never carries a secret value or a stored key that is not a field', () => {
    const changes = settingsChanges(integration, { login: 'a', password: 'old-cipher', stray: 'x' }, { login: 'a', password: 'new-cipher', stray: 'y' }, new Set(['password']));
    expect(changes).toEqual([{ field: 'password', before: 'set', after: 'changed', secret: true }]);
  });
});
