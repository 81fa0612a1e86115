import type { IntegrationSummary } from '../../../shared/integrations/catalog.js';
import { hrefFor } from '../../app/router.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { categoryLabel } from './categoryLabel.js';
import { IntegrationMark } from './IntegrationMark.js';

function footerText(item: IntegrationSummary) {
  const { state } = item;
  if (state.status === 'Not Configured') return <span>Not set up yet</span>;
  if (state.status === 'Error') return <span className="card-footer-error">{state.errorMessage ?? 'The last check failed'}</span>;
  if (!state.lastHealthCheck) return <span>Saved, waiting for the first check</span>;
  return (
    <span>
      Checked <RelativeTime iso={state.lastHealthCheck} />
      {state.health === 'degraded' ? ' · degraded' : ''}
    </span>
  );
}

/** One catalog card: the whole card is a link to the detail page. */
export function IntegrationCard({ item }: { item: IntegrationSummary }) {
  return (
    <li className="integration-card">
      <a className="integration-card-link" href={hrefFor({ name: 'integration', key: item.key })} aria-describedby={`card-${item.key}-status`}>
        <div className="integration-card-head">
          <IntegrationMark name={item.name} category={item.category} />
          <div className="integration-card-title">
            <h2>{item.name}</h2>
            <p className="muted">
              {item.provider} · {categoryLabel(item.category)}
            </p>
          </div>
        </div>
        <p className="integration-card-description">{item.description}</p>
        <div className="integration-card-footer">
          <span id={`card-${item.key}-status`}>
            <span className="visually-hidden">Status: </span>
            <StatusBadge status={item.state.status} health={item.state.health} />
          </span>
          <span className="integration-card-meta">{footerText(item)}</span>
        </div>
      </a>
    </li>
  );
}
