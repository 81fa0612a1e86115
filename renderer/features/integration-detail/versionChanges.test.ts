import { describe, expect, test } from 'vitest';
import type { ConfigVersion } from '../../../shared/integrations/versions.js';
import { changesBack, lastPassing } from './versionChanges.js';

const v = (version: number, changes: ConfigVersion['changes'], extra: Partial<ConfigVersion> = {}): ConfigVersion => ({
  version,
  createdAt: '2026-01-01T00:00:00.000Z',
  actor: 'a@example.com',
  actorKind: 'user',
  changes,
  passedCheck: false,
  current: false,
  restoredFrom: null,
  ...extra,
});

// Newest first, as the server lists them.
const versions = [
  v(4, [{ field: 'login', before: 'b', after: 'c', secret: false }], { current: true }),
  v(3, [{ field: 'password', before: 'changed', after: 'changed', secret: true }]),
  v(2, [
    { field: 'login', before: 'a', after: 'b', secret: false },
    { field: 'region', before: 'us', after: 'eu', secret: false },
  ]),
  v(1, [], { passedCheck: true }),
];

describe('changesBack', () => {
  test('composes every newer change: today’s value back to the target’s, secrets only as changed', () => {
    expect(changesBack(versions, 1)).toEqual({
      complete: true,
      changes: [
        { field: 'login', before: 'c', after: 'a', secret: false },
        { field: 'region', before: 'eu', after: 'us', secret: false },
        { field: 'password', before: 'changed', after: 'changed', secret: true },
      ],
    });
  });

  test('a field that came back to the target’s value drops out; a list that stops short says so', () => {
    const back = [v(3, [{ field: 'login', before: 'b', after: 'a', secret: false }], { current: true }), v(2, [{ field: 'login', before: 'a', after: 'b', secret: false }])];
    expect(changesBack(back, 1)).toEqual({ changes: [], complete: true });
    expect(changesBack(versions.slice(0, 2), 1).complete).toBe(false);
  });
});

test('lastPassing: the newest earlier version that passed a check', () => {
  expect(lastPassing(versions)?.version).toBe(1);
  expect(lastPassing([v(2, [], { current: true, passedCheck: true })])).toBeNull();
});
