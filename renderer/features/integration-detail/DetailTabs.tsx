import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { hrefFor } from '../../app/router.js';

/**
 * The sections of an integration, one per capability with a screen of its own: Overview always,
 * Mappings where the plugin lists organizations. Links, so each section has its own address.
 */
export function DetailTabs({ detail, current }: { detail: IntegrationDetail; current: 'overview' | 'mappings' }) {
  if (!(detail.capabilities ?? []).includes('organizations')) return null;
  const tab = (name: 'overview' | 'mappings', label: string, href: string) => (
    <a href={href} className="detail-tab" aria-current={current === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav aria-label={`${detail.name} sections`} className="detail-tabs">
      {tab('overview', 'Overview', hrefFor({ name: 'integration', key: detail.key }))}
      {tab('mappings', 'Mappings', hrefFor({ name: 'mappings', key: detail.key }))}
    </nav>
  );
}
