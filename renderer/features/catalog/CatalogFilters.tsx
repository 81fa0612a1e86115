import type { Category } from '../../../shared/integrations/catalog.js';
import { categoryLabel } from './categoryLabel.js';
import { capabilityLabel, type CapabilityFilter, type CatalogFilter } from './filterIntegrations.js';

export interface CatalogFiltersProps {
  filter: CatalogFilter;
  categories: { category: Category; count: number }[];
  capabilities: { capability: Exclude<CapabilityFilter, 'any'>; count: number }[];
  /** Entries the chosen capability leaves (the "All" category chip) and the chosen category leaves ("Any"). */
  totals: { category: number; capability: number };
  onChange(filter: CatalogFilter): void;
}

/**
 * Search box, category chips and capability chips (toggle buttons, so the current choice is
 * announced). Category and capability combine: an entry must match both.
 */
export function CatalogFilters({ filter, categories, capabilities, totals, onChange }: CatalogFiltersProps) {
  const chip = (props: { key: string; pressed: boolean; label: string; count: number; onClick(): void }) => (
    <button key={props.key} type="button" className="chip" aria-pressed={props.pressed} onClick={props.onClick}>
      {props.label}
      <span className="chip-count">{props.count}</span>
    </button>
  );
  const category = (value: Category | 'all', label: string, count: number) =>
    chip({ key: value, pressed: filter.category === value, label, count, onClick: () => onChange({ ...filter, category: value }) });
  const capability = (value: CapabilityFilter, count: number) =>
    chip({ key: value, pressed: filter.capability === value, label: capabilityLabel(value), count, onClick: () => onChange({ ...filter, capability: value }) });
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
        {category('all', 'All', totals.category)}
        {categories.map((c) => category(c.category, categoryLabel(c.category), c.count))}
      </div>
      <div className="chips" role="group" aria-labelledby="catalog-capability-label">
        <span id="catalog-capability-label" className="chips-label">
          Can do
        </span>
        {capability('any', totals.capability)}
        {capabilities.map((c) => capability(c.capability, c.count))}
      </div>
    </div>
  );
}
