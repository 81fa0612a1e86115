import { describe, expect, it } from 'vitest';
import { notConfiguredState, type Capability, type Category, type IntegrationSummary } from '../../../shared/integrations/catalog.js';
import { capabilityCounts, categoryCounts, filterIntegrations, noFilter } from './filterIntegrations.js';

const entry = (key: string, category: Category, capabilities: Capability[]): IntegrationSummary => ({
  key,
  name: key,
  provider: key,
  category,
  description: `${key} description`,
  docsUrl: null,
  links: [],
  capabilities,
  requirements: [],
  logo: null,
  state: notConfiguredState,
});

const list = [
  entry('psa-health', 'Psa', ['health']),
  entry('psa-orgs', 'Psa', ['health', 'organizations']),
  entry('backup-orgs', 'Backup', ['health', 'organizations']),
  entry('rmm-oauth', 'Rmm', ['health', 'actions', 'oauth']),
  entry('old-cache', 'Rmm', []),
];
const keys = (filter: Partial<typeof noFilter>) => filterIntegrations(list, { ...noFilter, ...filter }).map((i) => i.key);

describe('catalog filters', () => {
  it('"Health only" is a health check and nothing else; the others need the capability among others', () => {
    expect(keys({ capability: 'health-only' })).toEqual(['psa-health']);
    expect(keys({ capability: 'organizations' })).toEqual(['psa-orgs', 'backup-orgs']);
    expect(keys({ capability: 'oauth' })).toEqual(['rmm-oauth']);
    // A row cached before capabilities existed says nothing, so it is not "health only".
    expect(keys({ capability: 'any' })).toContain('old-cache');
  });

  it('combines category, capability and the search with AND', () => {
    expect(keys({ category: 'Psa', capability: 'organizations' })).toEqual(['psa-orgs']);
    expect(keys({ category: 'Backup', capability: 'health-only' })).toEqual([]);
    expect(keys({ category: 'Psa', query: 'HEALTH' })).toEqual(['psa-health']);
  });

  it('counts each facet among what the other leaves, so a chip says what a click shows', () => {
    expect(capabilityCounts(list, 'Psa')).toEqual([
      { capability: 'health-only', count: 1 },
      { capability: 'organizations', count: 1 },
      { capability: 'actions', count: 0 },
      { capability: 'oauth', count: 0 },
    ]);
    expect(categoryCounts(list, 'organizations')).toEqual([
      { category: 'Psa', count: 1 },
      { category: 'Backup', count: 1 },
      { category: 'Rmm', count: 0 },
    ]);
    for (const c of capabilityCounts(list, 'all')) expect(c.count).toBe(keys({ capability: c.capability }).length);
  });

  it("lists the category chips in the catalog's order of categories, whatever order the entries come in", () => {
    const shuffled = [entry('sec', 'Security', ['health']), entry('rmm', 'Rmm', ['health']), entry('backup', 'Backup', ['health']), entry('psa', 'Psa', ['health'])];
    expect(categoryCounts(shuffled).map((c) => c.category)).toEqual(['Psa', 'Backup', 'Rmm', 'Security']);
  });
});
