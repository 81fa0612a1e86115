import type { Category } from '../../../shared/integrations/catalog.js';
import './IntegrationMark.css';

/** A tile with the integration's initials, tinted by category; decorative, the name is beside it. */
export function IntegrationMark({ name, category, size = 'md' }: { name: string; category: Category; size?: 'md' | 'lg' }) {
  const initials = name
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase();
  return (
    <span className={`mark mark-${size} mark-${category.toLowerCase()}`} aria-hidden="true">
      {initials}
    </span>
  );
}
