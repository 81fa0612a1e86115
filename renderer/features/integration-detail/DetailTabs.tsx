import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { hrefFor } from '../../app/router.js';

type Tab = 'overview' | 'mappings' | 'actions' | 'activity';

/**
 * The sections of an integration, one per capability with a screen of its own: Overview and
 * Activity (its vendor calls) always, Mappings where the plugin lists organizations, Actions
 * where it declares actions (the plugin's own, drawn from the server's listing). Links, so
 * each section has its own address.
 */
export function DetailTabs({ detail, current }: { detail: IntegrationDetail; current: Tab }) {
  const tab = (name: Tab, label: string, href: string) => (
    <a href={href} className="detail-tab" aria-current={current === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav aria-label={`${detail.name} sections`} className="detail-tabs">
      {tab('overview', 'Overview', hrefFor({ name: 'integration', key: detail.key }))}
      {(detail.capabilities ?? []).includes('organizations') && tab('mappings', 'Mappings', hrefFor({ name: 'mappings', key: detail.key }))}
      {(detail.capabilities ?? []).includes('actions') && tab('actions', 'Actions', hrefFor({ name: 'actions', key: detail.key }))}
      {tab('activity', 'Activity', hrefFor({ name: 'activity', key: detail.key }))}
    </nav>
  );
}
