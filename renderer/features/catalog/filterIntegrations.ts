import type { Category, IntegrationSummary } from '../../../shared/integrations/catalog.js';

export interface CatalogFilter {
  query: string;
  category: Category | 'all';
}

/** Category and text search (name, provider, description), case- and accent-insensitive. */
export function filterIntegrations(list: readonly IntegrationSummary[], filter: CatalogFilter): IntegrationSummary[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  const words = fold(filter.query).split(/\s+/).filter(Boolean);
  return list.filter((item) => {
    if (filter.category !== 'all' && item.category !== filter.category) return false;
    const haystack = fold(`${item.name} ${item.provider} ${item.description}`);
    return words.every((w) => haystack.includes(w));
  });
}

/** Categories that have at least one entry, in the catalog's order, with counts. */
export function categoryCounts(list: readonly IntegrationSummary[]): { category: Category; count: number }[] {
  const counts = new Map<Category, number>();
  for (const item of list) counts.set(item.category, (counts.get(item.category) ?? 0) + 1);
  return [...counts].map(([category, count]) => ({ category, count }));
}
