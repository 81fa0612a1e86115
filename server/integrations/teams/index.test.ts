import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.js';
import { teamsPlugin } from './index.js';

describe('the Teams plugin as the registry sees it', () => {
  it('passes the registry checks (fields, logo, action ids and schemas)', () => {
    const registry = createRegistry([teamsPlugin]);
    expect(registry).toBeDefined();
    expect(teamsPlugin.meta).toMatchObject({ key: 'teams', name: 'Microsoft Teams', provider: 'Microsoft', category: 'Communication' });
    expect(teamsPlugin.actions?.map((a) => [a.id, a.sideEffectful])).toEqual([
      ['teams.messages.post_to_channel', true],
      ['teams.messages.send_dm', true],
    ]);
  });
});
