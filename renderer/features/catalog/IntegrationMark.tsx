import { useState } from 'react';
import type { Category } from '../../../shared/integrations/catalog.js';
import './IntegrationMark.css';

export interface IntegrationMarkProps {
  name: string;
  category: Category;
  /** The plugin's logo (an SVG data URI the server checked); null or unloadable: initials. */
  logo?: string | null;
  size?: 'md' | 'lg';
}

/**
 * The vendor's logo, or a tile with the integration's initials tinted by category; decorative,
 * the name is beside it. Logos go through <img>, where SVG cannot run script or fetch anything,
 * never through markup insertion.
 */
export function IntegrationMark({ name, category, logo = null, size = 'md' }: IntegrationMarkProps) {
  const [broken, setBroken] = useState<string | null>(null);
  if (logo && broken !== logo) {
    return (
      <span className={`mark mark-${size} mark-logo`} aria-hidden="true" data-mark="logo">
        <img src={logo} alt="" draggable={false} onError={() => setBroken(logo)} />
      </span>
    );
  }
  const initials = name
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase();
  return (
    <span className={`mark mark-${size} mark-${category.toLowerCase()}`} aria-hidden="true" data-mark="initials">
      {initials}
    </span>
  );
}
