import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.js';
import { ninjaonePlugin } from './index.js';

describe('NinjaOne plugin', () => {
  it('passes the registry checks (metadata, fields, logo, action schemas) with its five actions', () => {
    const registry = createRegistry([ninjaonePlugin]);
    expect(registry).toBeTruthy();
    expect(ninjaonePlugin.actions?.map((a) => [a.id, a.sideEffectful])).toEqual([
      ['ninjaone.devices.find', false],
      ['ninjaone.devices.get', false],
      ['ninjaone.devices.scripting_options', false],
      ['ninjaone.alerts.list', false],
      ['ninjaone.devices.run_script', true],
    ]);
  });
});
