import { describe, expect, it } from 'vitest';
import type { Client } from '../../../shared/clients.js';
import type { MappingsView } from '../../../shared/localApi.js';
import { buildRows, chosenClientId, countRows, filterRows } from './mappingRows.js';

const at = '2026-12-01T10:00:00.000Z';
const client = (id: number, name: string, archived = false): Client => ({ id, name, archived, version: 1, createdAt: at, updatedAt: at });
const org = (id: string, name: string, change: 'new' | 'renamed' | 'unchanged' = 'unchanged') => ({ id, name, change, previousName: change === 'renamed' ? `Old ${name}` : null });
const mapping = (clientId: number, externalOrgId: string, externalOrgName: string, missingAtVendor = false) => ({
  id: clientId * 100,
  clientId,
  integrationKey: 'syncro',
  externalOrgId,
  externalOrgName,
  createdBy: null,
  createdAt: at,
  missingAtVendor,
});

function view(over: Partial<MappingsView> = {}): MappingsView {
  return {
    key: 'syncro',
    snapshot: { runId: 1, takenAt: at, previousTakenAt: null, counts: { organizations: 4, new: 4, renamed: 0, gone: 0 } },
    organizations: [org('3', 'Charlie Bakery'), org('1', 'alpha dental', 'renamed'), org('2', 'Bravo Logistics'), org('4', 'Delta Air')],
    // The server flags Gone Corp: the latest snapshot no longer lists it.
    mappings: [mapping(10, '2', 'Bravo Logistics'), mapping(11, '9', 'Gone Corp', true)],
    suggestions: [
      { clientId: 12, externalOrgId: '1', score: 1, kind: 'preselect' },
      { clientId: 13, externalOrgId: '1', score: 0.7, kind: 'review' },
      { clientId: 14, externalOrgId: '4', score: 0.9, kind: 'review' },
      // Suggested to an organization that is mapped meanwhile: not shown.
      { clientId: 12, externalOrgId: '2', score: 1, kind: 'preselect' },
    ],
    clients: [client(10, 'Bravo'), client(11, 'Gone Client'), client(12, 'Alpha Dental'), client(13, 'Alphabet'), client(14, 'Delta', true)],
    run: null,
    fetchedAt: at,
    drafts: [],
    ...over,
  };
}

describe('mapping rows', () => {
  it('lists the snapshot in name order, then the mapped organizations it lacks as missing', () => {
    const rows = buildRows(view());
    expect(rows.map((r) => [r.orgName, r.client?.name ?? null, r.missing])).toEqual([
      ['alpha dental', null, false],
      ['Bravo Logistics', 'Bravo', false],
      ['Charlie Bakery', null, false],
      ['Delta Air', null, false],
      ['Gone Corp', 'Gone Client', true],
    ]);
    // The best suggestion wins; an archived client is never suggested; a mapped organization has none.
    expect(rows.map((r) => r.suggestion && [r.suggestion.client.name, r.suggestion.preselect])).toEqual([['Alpha Dental', true], null, null, null, null]);
    expect(rows[0]?.previousName).toBe('Old alpha dental');
  });

  it('counts and filters by unmapped, suggested and missing, searching organization and client names', () => {
    const rows = buildRows(view());
    expect(countRows(rows)).toEqual({ all: 5, unmapped: 3, suggested: 1, missing: 1 });
    expect(filterRows(rows, 'unmapped', '').map((r) => r.orgId)).toEqual(['1', '3', '4']);
    expect(filterRows(rows, 'all', 'BRAVO').map((r) => r.orgId)).toEqual(['2']);
    expect(filterRows(rows, 'all', 'gone client').map((r) => r.orgId)).toEqual(['9']);
    expect(filterRows(rows, 'missing', 'alpha')).toEqual([]);
  });

  it('shows an offline edit as the chosen client until it is sent', () => {
    const draft = { id: 1, integrationKey: 'syncro', externalOrgId: '3', externalOrgName: 'Charlie Bakery', baseClientId: null, clientId: 10, state: 'queued' as const, serverClientId: null, clientName: 'Bravo', baseClientName: null, serverClientName: null, error: null, updatedAt: at };
    const rows = buildRows(view({ drafts: [draft] }));
    const charlie = rows.find((r) => r.orgId === '3');
    expect(charlie && chosenClientId(charlie)).toBe(10);
    expect(charlie?.mapping).toBeNull();
    const bravo = rows.find((r) => r.orgId === '2');
    expect(bravo && chosenClientId(bravo)).toBe(10);
  });

  it('shows what the server flags as missing, and nothing before the first discovery (the server flags none then)', () => {
    const unflagged = [mapping(10, '2', 'Bravo Logistics'), mapping(11, '9', 'Gone Corp')];
    expect(buildRows(view({ snapshot: null, organizations: [], mappings: unflagged })).map((r) => r.missing)).toEqual([false, false]);
    const flagged = view({ mappings: [mapping(10, '2', 'Bravo Logistics', true)] });
    expect(buildRows(flagged).find((r) => r.orgId === '2')?.missing).toBe(true);
  });
});
