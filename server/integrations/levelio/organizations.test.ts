import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { pluginContext } from '../test/pluginContext.js';
import { OrganizationsError } from '../types.js';
import { startFakeLevel, type FakeLevel } from './fakeServer.js';
import { createLevelPlugin } from './index.js';
import { groupPaths } from './organizations.js';

const logs = captureLogs();
const key = 'lvl_discovery_key_0001';
let fake: FakeLevel;
const plugin = createLevelPlugin({ pageTimeoutMs: 5_000, http: { rateLimit: { perMinute: 60_000, burst: 1_000 }, retry: { baseDelayMs: 5, maxDelayMs: 10 } } });
const list = (cursor: string | null = null, apiKey = key) =>
  plugin.listOrganizations?.(pluginContext({ settings: { api_key: apiKey, key_access: 'read_only' }, log: logs.log, env: { LEVEL_BASE_URL: fake.baseUrl } }), cursor);

beforeAll(async () => {
  fake = await startFakeLevel();
  // Children listed before their parents, and 230 filler groups: the paths need every page.
  fake.addAccount({
    name: 'acme',
    keys: [{ key, access: 'read_only' }],
    groups: [
      { id: 'g-sea', name: 'Seattle', parentId: 'g-contoso' },
      { id: 'g-lab', name: 'Lab', parentId: 'g-sea' },
      { id: 'g-contoso', name: 'Contoso' },
    ],
    generatedGroups: 230,
  });
});
afterAll(async () => {
  await plugin.close();
  await fake.close();
});

describe('Level discovery', () => {
  it('walks every page (limit=100, starting_after) and emits each group with its path, in one page', async () => {
    fake.resetCounts();
    const page = await list();
    expect(fake.requestCount({ path: '/v2/groups' })).toBe(3);
    expect(page).toMatchObject({ nextCursor: null, pagesDone: 3, totalPages: 3 });
    expect(page?.items).toHaveLength(233);
    expect(page?.items.slice(0, 3)).toEqual([
      { id: 'g-sea', name: 'Contoso / Seattle' },
      { id: 'g-lab', name: 'Contoso / Seattle / Lab' },
      { id: 'g-contoso', name: 'Contoso' },
    ]);
    expect(page?.items.at(-1)).toEqual({ id: 'grp_gen_00230', name: 'Group 230' });
    expect(new Set(page?.items.map((o) => o.id)).size).toBe(233);
  });

  it('a parent that only arrives on a later page still names its child', async () => {
    // The child is first on page 1, its parent last on page 2.
    fake.addAccount({
      name: 'late',
      keys: [{ key: 'lvl_late_parent_0001' }],
      groups: [{ id: 'g-child', name: 'Branch', parentId: 'grp_gen_00150' }],
      generatedGroups: 150,
    });
    const page = await list(null, 'lvl_late_parent_0001');
    expect(page?.items[0]).toEqual({ id: 'g-child', name: 'Group 150 / Branch' });
  });

  it('paths: a missing parent ends the path, a cycle is cut, a nameless group gets a stand-in', () => {
    const paths = groupPaths([
      { id: 'a', name: 'A', parent_id: 'gone' },
      { id: 'x', name: 'X', parent_id: 'y' },
      { id: 'y', name: 'Y', parent_id: 'x' },
      { id: 'n', name: ' ', parent_id: 'a' },
    ]);
    expect(Object.fromEntries(paths)).toEqual({ a: 'A', x: 'Y / X', y: 'X / Y', n: 'A / Group n' });
  });

  it('a rejected key, a refused list and a cursor it did not make are OrganizationsErrors with a reason', async () => {
    await expect(list(null, 'lvl_unknown_key_0001')).rejects.toThrow(new OrganizationsError('Level rejected the API key (HTTP 401): Access denied. Check the key under Settings › API keys in Level'));
    fake.setFaults({ missingPermissions: ['groups'] }, 'acme');
    await expect(list()).rejects.toThrow('The Level API key may not read groups (HTTP 403)');
    fake.resetFaults();
    await expect(list('2')).rejects.toThrow('Level discovery was given a cursor it did not make');
  });

  it('malformed JSON fails the whole walk: no half list with wrong paths is emitted', async () => {
    fake.setFaults({ malformedJson: true }, 'acme');
    await expect(list()).rejects.toThrow(/could not be read/);
    fake.resetFaults();
  });
});
