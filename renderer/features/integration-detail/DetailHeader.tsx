import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { hrefFor } from '../../app/router.js';
import { ExternalLink } from '../../components/ExternalLink.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { categoryLabel } from '../catalog/categoryLabel.js';
import { IntegrationMark } from '../catalog/IntegrationMark.js';

/**
 * Name, provider, category, status, description, what the partner needs at the vendor (shown
 * before anyone configures it) and the entry's links (e.g. MSPBackups).
 */
export function DetailHeader({ detail }: { detail: IntegrationDetail }) {
  return (
    <header className="detail-header">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={hrefFor({ name: 'catalog' })}>Integrations</a>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{detail.name}</span>
      </nav>
      <div className="detail-title">
        <IntegrationMark name={detail.name} category={detail.category} logo={detail.logo} size="lg" />
        <div className="detail-title-text">
          <div className="row">
            <h1>{detail.name}</h1>
            <StatusBadge status={detail.state.status} health={detail.state.health} />
          </div>
          <p className="muted">
            {detail.provider} · {categoryLabel(detail.category)}
          </p>
        </div>
      </div>
      <p className="detail-description">{detail.description}</p>
      {detail.requirements.length > 0 && (
        <div className="detail-needs">
          <h2 id="detail-needs-title">Needs at {detail.provider}</h2>
          <ul aria-labelledby="detail-needs-title">
            {detail.requirements.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {(detail.links.length > 0 || detail.docsUrl) && (
        <ul className="detail-links">
          {detail.links.map((link) => (
            <li key={link.url}>
              <ExternalLink href={link.url}>{link.label}</ExternalLink>
            </li>
          ))}
          {detail.docsUrl && (
            <li>
              <ExternalLink href={detail.docsUrl}>{detail.provider} API documentation</ExternalLink>
            </li>
          )}
        </ul>
      )}
    </header>
  );
}
