import type { Category } from '../../../shared/integrations/catalog.js';

/** Category names as people write them (the enum keeps identifier casing). */
export function categoryLabel(category: Category): string {
  switch (category) {
    case 'Psa':
      return 'PSA';
    case 'Rmm':
      return 'RMM';
    case 'Backup':
    case 'Monitoring':
    case 'Security':
    case 'Communication':
    case 'Documentation':
      return category;
  }
}
