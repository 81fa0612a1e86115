import { categories, type Capability, type Category, type IntegrationSummary } from '../../../shared/integrations/catalog.js';

/**
 * A capability chip: `health-only` is an entry that offers a health check and nothing else; the
 * others are entries that offer that capability (among others).
 */
export type CapabilityFilter = 'any' | 'health-only' | Exclude<Capability, 'health'>;
export const capabilityFilters: readonly Exclude<CapabilityFilter, 'any'>[] = ['health-only', 'organizations', 'actions', 'oauth'];

export interface CatalogFilter {
  query: string;
  category: Category | 'all';
  capability: CapabilityFilter;
}

export const noFilter: CatalogFilter = { query: '', category: 'all', capability: 'any' };

export function matchesCapability(item: Pick<IntegrationSummary, 'capabilities'>, capability: CapabilityFilter): boolean {
  if (capability === 'any') return true;
  if (capability === 'health-only') return item.capabilities.length > 0 && item.capabilities.every((c) => c === 'health');
  return item.capabilities.includes(capability);
}

const matchesCategory = (item: IntegrationSummary, category: CatalogFilter['category']) => category === 'all' || item.category === category;

/** Category AND capability AND text search (name, provider, description), case- and accent-insensitive. */
export function filterIntegrations(list: readonly IntegrationSummary[], filter: CatalogFilter): IntegrationSummary[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  const words = fold(filter.query).split(/\s+/).filter(Boolean);
  return list.filter((item) => {
    if (!matchesCategory(item, filter.category) || !matchesCapability(item, filter.capability)) return false;
    const haystack = fold(`${item.name} ${item.provider} ${item.description}`);
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * Categories that have at least one entry, in the catalog's order, each counted among the
 * entries the chosen capability leaves (the chips say what a click would show).
 */
export function categoryCounts(list: readonly IntegrationSummary[], capability: CapabilityFilter = 'any'): { category: Category; count: number }[] {
  const counts = new Map<Category, number>();
  for (const item of list) counts.set(item.category, (counts.get(item.category) ?? 0) + (matchesCapability(item, capability) ? 1 : 0));
  // In the catalog's own order of categories (PSA, Backup, RMM …), not the order names sort in.
  return [...counts].map(([category, count]) => ({ category, count })).sort((a, b) => categories.indexOf(a.category) - categories.indexOf(b.category));
}

/** Every capability chip, counted among the entries of the chosen category. */
export function capabilityCounts(list: readonly IntegrationSummary[], category: CatalogFilter['category']): { capability: Exclude<CapabilityFilter, 'any'>; count: number }[] {
  const inCategory = list.filter((item) => matchesCategory(item, category));
  return capabilityFilters.map((capability) => ({ capability, count: inCategory.filter((item) => matchesCapability(item, capability)).length }));
}

export function capabilityLabel(capability: CapabilityFilter): string {
  switch (capability) {
    case 'any':
      return 'Any';
    case 'health-only':
      return 'Health only';
    case 'organizations':
      return 'Organizations';
    case 'actions':
      return 'Actions';
    case 'oauth':
      return 'OAuth';
  }
}
