import { describe, expect, it } from 'vitest';
import { diffOrganizations, uniqueOrganizations } from './diff.js';

describe('diffOrganizations', () => {
  it('tells new, renamed (by id; case counts), unchanged and gone apart', () => {
    const previous = new Map([['1', 'Acme'], ['2', 'Beta Ltd'], ['3', 'Gamma'], ['4', 'Delta']]);
    const { items, counts } = diffOrganizations(
      [{ id: '1', name: 'Acme' }, { id: '2', name: 'BETA LTD', url: 'https://x.test/2' }, { id: '3', name: 'Gamma Corp' }, { id: '5', name: 'Epsilon' }],
      previous,
    );
    expect(counts).toEqual({ organizations: 4, new: 1, renamed: 2, gone: 1 });
    expect(items).toEqual([
      { id: '1', name: 'Acme', url: null, change: 'unchanged', previousName: null },
      { id: '2', name: 'BETA LTD', url: 'https://x.test/2', change: 'renamed', previousName: 'Beta Ltd' },
      { id: '3', name: 'Gamma Corp', url: null, change: 'renamed', previousName: 'Gamma' },
      { id: '5', name: 'Epsilon', url: null, change: 'new', previousName: null },
      { id: '4', name: 'Delta', url: null, change: 'gone', previousName: null },
    ]);
  });

  it('calls everything new the first time', () => {
    expect(diffOrganizations([{ id: 'a', name: 'A' }], new Map()).counts).toEqual({ organizations: 1, new: 1, renamed: 0, gone: 0 });
  });
});

describe('uniqueOrganizations', () => {
  it('keeps each id once, the later page winning (pages shift while the vendor changes)', () => {
    expect(uniqueOrganizations([[{ id: '1', name: 'Old' }, { id: '2', name: 'B' }], [{ id: '1', name: 'New' }]])).toEqual([{ id: '1', name: 'New' }, { id: '2', name: 'B' }]);
  });
});
