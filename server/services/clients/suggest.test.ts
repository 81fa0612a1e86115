import { describe, expect, it } from 'vitest';
import { normaliseName, suggestMappings } from './suggest.js';

describe('normaliseName', () => {
  it('ignores case, punctuation, whitespace, "&" versus "and" and legal suffixes', () => {
    const same: [string, string][] = [
      ['Dataforth Corp.', 'DATAFORTH CORPORATION'],
      ['Smith & Sons', 'Smith and Sons Ltd'],
      ['Acme, Inc.', 'acme   inc'],
      ['Bluewave Pty Ltd', 'BLUEWAVE'],
      ['Müller GmbH', 'Muller'],
      ['Northwind L.L.C.', 'Northwind LLC'],
      ['The Corner Bakery Co', 'Corner Bakery'],
      ["O'Brien Plumbing Limited", 'OBrien Plumbing'],
    ];
    for (const [a, b] of same) expect(normaliseName(a), `${a} ~ ${b}`).toBe(normaliseName(b));
  });

  it('keeps names apart that differ in a word, and never strips a name down to nothing', () => {
    expect(normaliseName('Smith & Sons')).not.toBe(normaliseName('Smith & Daughters'));
    expect(normaliseName('Dataforth Labs')).not.toBe(normaliseName('Dataforth'));
    expect(normaliseName('Co')).toBe('co');
    expect(normaliseName('Limited Inc')).toBe('limited');
  });
});

describe('suggestMappings', () => {
  const clients = [
    { id: 1, name: 'Dataforth Corp.' },
    { id: 2, name: 'Smith & Sons' },
    { id: 3, name: 'Harbor Dental Group' },
    { id: 4, name: 'Unrelated Widgets' },
    { id: 5, name: 'Already Mapped Ltd' },
  ];
  const organizations = [
    { id: 'o1', name: 'DATAFORTH CORPORATION' },
    { id: 'o2', name: 'Smith and Sons Ltd' },
    { id: 'o3', name: 'Harbor Dental' },
    { id: 'o4', name: 'Completely Different LLC' },
    { id: 'o5', name: 'Already Mapped' },
    { id: 'o6', name: 'Taken Org' },
  ];

  it('preselects equal names, offers partial ones for review and nothing for strangers', () => {
    const out = suggestMappings({ clients, organizations, mappings: [] });
    expect(out).toContainEqual({ clientId: 1, externalOrgId: 'o1', score: 1, kind: 'preselect' });
    expect(out).toContainEqual({ clientId: 2, externalOrgId: 'o2', score: 1, kind: 'preselect' });
    const harbor = out.find((s) => s.externalOrgId === 'o3');
    expect(harbor).toMatchObject({ clientId: 3, kind: 'review' });
    // Unweighted Dice would be 0.8 (2 of 3 + 2 words shared); "group" is rarer here than the
    // shared words (one name of 11 against two each), so its absence costs more.
    const w = (df: number) => Math.log(1 + 11 / df);
    expect(harbor?.score).toBeCloseTo((2 * (w(2) + w(2))) / (2 * (w(2) + w(2)) + w(1)), 5);
    expect(harbor?.score).toBeLessThan(0.8);
    expect(out.filter((s) => s.externalOrgId === 'o4' || s.clientId === 4)).toEqual([]);
    // Best first.
    expect(out.map((s) => s.score)).toEqual([...out.map((s) => s.score)].sort((a, b) => b - a));
  });

  it('never suggests an organization or a client that is already mapped', () => {
    const out = suggestMappings({ clients, organizations, mappings: [{ clientId: 5, externalOrgId: 'o6' }, { clientId: 2, externalOrgId: 'zz' }] });
    expect(out.some((s) => s.clientId === 5 || s.externalOrgId === 'o6')).toBe(false);
    expect(out.some((s) => s.clientId === 2)).toBe(false);
    expect(out.some((s) => s.clientId === 1 && s.kind === 'preselect')).toBe(true);
  });

  it('leaves two equally named clients for review instead of preselecting either', () => {
    const out = suggestMappings({ clients: [{ id: 1, name: 'Acme Inc' }, { id: 2, name: 'ACME LLC' }], organizations: [{ id: 'a', name: 'Acme' }], mappings: [] });
    expect(out).toEqual([
      { clientId: 1, externalOrgId: 'a', score: 1, kind: 'review' },
      { clientId: 2, externalOrgId: 'a', score: 1, kind: 'review' },
    ]);
  });

  it('matches a website named like the client for review, and honours minScore', () => {
    const out = suggestMappings({ clients: [{ id: 7, name: 'Dataforth' }], organizations: [{ id: 'x', name: 'DF Holdings', url: 'https://www.dataforth.com/' }], mappings: [] });
    expect(out).toEqual([{ clientId: 7, externalOrgId: 'x', score: 0.9, kind: 'review' }]);
    expect(suggestMappings({ clients, organizations, mappings: [], minScore: 0.95 }).every((s) => s.score === 1)).toBe(true);
  });

  it('does not pair names that share only a common word, but still pairs those sharing a rare one', () => {
    const practices = ['Harbor Dental', 'Bayside Dental', 'Summit Dental', 'Maple Dental', 'Cedar Dental'].map((name, i) => ({ id: i + 1, name }));
    const out = suggestMappings({
      clients: practices,
      organizations: [{ id: 'g', name: 'Greenfield Dental' }, { id: 'h', name: 'Harbor Dental Care' }],
      mappings: [],
    });
    // Plain Dice would give every practice 0.5 against "Greenfield Dental": five false leads.
    expect(out.filter((s) => s.externalOrgId === 'g')).toEqual([]);
    expect(out.filter((s) => s.externalOrgId === 'h').map((s) => [s.clientId, s.kind])).toEqual([[1, 'review']]);
  });

  // Timing is measured by `npm run bench -- clients` (a shared CI machine makes a timed test flaky).
  it('handles 1,000 clients × 1,500 organizations with a preselection for each equal pair', () => {
    const words = ['north', 'south', 'dental', 'legal', 'group', 'partners', 'tech', 'farm', 'river', 'stone', 'bright', 'alpha'];
    const name = (i: number) => `${words[i % 12]} ${words[Math.floor(i / 12) % 12]} ${i}`;
    const many = Array.from({ length: 1_000 }, (_, i) => ({ id: i + 1, name: `${name(i)} Inc` }));
    const orgs = Array.from({ length: 1_500 }, (_, i) => ({ id: `o${i}`, name: `${name(i).toUpperCase()} LLC` }));
    const out = suggestMappings({ clients: many, organizations: orgs, mappings: [] });
    const preselected = out.filter((s) => s.kind === 'preselect');
    expect(preselected).toHaveLength(1_000);
    expect(preselected.every((s) => `o${s.clientId - 1}` === s.externalOrgId)).toBe(true);
  });
});
