import type { Category } from '../../../shared/integrations/catalog.js';
import { categoryLabel } from './categoryLabel.js';
import type { CatalogFilter } from './filterIntegrations.js';

export interface CatalogFiltersProps {
  filter: CatalogFilter;
  categories: { category: Category; count: number }[];
  total: number;
  onChange(filter: CatalogFilter): void;
}

/** Search box and category chips (toggle buttons, so the current choice is announced). */
export function CatalogFilters({ filter, categories, total, onChange }: CatalogFiltersProps) {
  const chip = (value: Category | 'all', label: string, count: number) => (
    <button key={value} type="button" className="chip" aria-pressed={filter.category === value} onClick={() => onChange({ ...filter, category: value })}>
      {label}
      <span className="chip-count">{count}</span>
    </button>
  );
  return (
    <div className="catalog-filters">
      <div className="catalog-search">
        <label htmlFor="catalog-search" className="visually-hidden">
          Search integrations
        </label>
        <input
          id="catalog-search"
          type="search"
          className="input"
          placeholder="Search by name, provider or description"
          value={filter.query}
          onChange={(e) => onChange({ ...filter, query: e.target.value })}
        />
      </div>
      <div className="chips" role="group" aria-label="Filter by category">
        {chip('all', 'All', total)}
        {categories.map((c) => chip(c.category, categoryLabel(c.category), c.count))}
      </div>
    </div>
  );
}
