import { useState } from 'react';
import type { IntegrationSummary } from '../../../shared/integrations/catalog.js';
import { hrefFor } from '../../app/router.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { categoryLabel } from './categoryLabel.js';
import { IntegrationMark } from './IntegrationMark.js';
import { useOverflow } from './useOverflow.js';

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

/**
 * The card's clamped texts in full (description, what it needs, the error), shown while the card
 * is hovered or holds keyboard focus, and only when a clamp actually hides something. Hidden from
 * assistive technology: the link already carries the full texts (clamping is only visual).
 */
function FullText({ item }: { item: IntegrationSummary }) {
  const error = item.state.status === 'Error' ? item.state.errorMessage : null;
  return (
    <div className="card-fulltext" aria-hidden="true" data-testid={`card-${item.key}-fulltext`}>
      <p>{item.description}</p>
      {item.requirements.length > 0 && (
        <>
          <p className="card-fulltext-label">Needs</p>
          <ul>
            {item.requirements.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      )}
      {error && <p className="card-footer-error">{error}</p>}
    </div>
  );
}

/** One catalog card: the whole card is a link to the detail page. */
export function IntegrationCard({ item }: { item: IntegrationSummary }) {
  const { clipped, ref } = useOverflow<HTMLLIElement>();
  // Escape hides the full text until the pointer or focus leaves the card (WCAG 1.4.13: dismissible).
  const [dismissed, setDismissed] = useState(false);
  return (
    <li
      ref={ref}
      className="integration-card"
      onKeyDown={(e) => e.key === 'Escape' && setDismissed(true)}
      onMouseLeave={() => setDismissed(false)}
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setDismissed(false)}
    >
      <a className="integration-card-link" href={hrefFor({ name: 'integration', key: item.key })} aria-describedby={`card-${item.key}-status`}>
        <div className="integration-card-head">
          <IntegrationMark name={item.name} category={item.category} logo={item.logo} />
          <div className="integration-card-title">
            <h2>{item.name}</h2>
            <p className="muted">
              {item.provider} · {categoryLabel(item.category)}
            </p>
          </div>
        </div>
        <p className="integration-card-description" data-clamp>
          {item.description}
        </p>
        {item.requirements.length > 0 && (
          <p className="integration-card-needs" data-clamp>
            <span className="integration-card-needs-label">Needs: </span>
            {item.requirements.join(' · ')}
          </p>
        )}
        <div className="integration-card-footer">
          <span id={`card-${item.key}-status`}>
            <span className="visually-hidden">Status: </span>
            <StatusBadge status={item.state.status} health={item.state.health} />
          </span>
          <span className="integration-card-meta" data-clamp>
            {footerText(item)}
          </span>
        </div>
      </a>
      {clipped && !dismissed && <FullText item={item} />}
    </li>
  );
}
