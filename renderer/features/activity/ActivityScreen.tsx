import { useMemo, useState } from 'react';
import { interactionOutcomes, type InteractionOutcome, type InteractionSummary } from '../../../shared/interactions.js';
import { useIntegration } from '../../app/data/hooks/useIntegrations.js';
import { useInteractions } from '../../app/data/hooks/useInteractions.js';
import { usePermissions } from '../../app/data/scope.js';
import { hrefFor } from '../../app/router.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { Skeleton } from '../../components/Skeleton.js';
import { DetailHeader } from '../integration-detail/DetailHeader.js';
import { DetailSkeleton } from '../integration-detail/DetailSkeleton.js';
import { DetailTabs } from '../integration-detail/DetailTabs.js';
import '../integration-detail/IntegrationDetail.css';
import { ReadOnlyNote } from '../integration-detail/ReadOnlyNote.js';
import { fromFor, formatMs, outcomeLabels, outcomeTones, timeRanges, whatLabel, workLabels, type TimeRange } from './activityLabels.js';
import { InteractionDetailPanel } from './InteractionDetailPanel.js';
import './Activity.css';

function Row({ item, open, onOpen }: { item: InteractionSummary; open: boolean; onOpen(): void }) {
  return (
    <tr aria-selected={open}>
      <td>
        <button type="button" className="activity-open" onClick={onOpen} aria-label={`Open the ${whatLabel(item.actionId)} call of ${new Date(item.at).toLocaleString()}`}>
          <RelativeTime iso={item.at} />
        </button>
      </td>
      <td>{whatLabel(item.actionId)}</td>
      <td className="activity-path">
        <code>
          {item.method} {item.path}
        </code>
      </td>
      <td>{item.status ?? '—'}</td>
      <td>{formatMs(item.durationMs)}</td>
      <td>
        <Badge tone={outcomeTones[item.outcome]}>{outcomeLabels[item.outcome]}</Badge>
      </td>
      <td>
        {item.user}
        {item.viaAssistant !== null && (
          <>
            <br />
            <span className="muted">via AI assistant “{item.viaAssistant}”</span>
          </>
        )}
      </td>
    </tr>
  );
}

/**
 * The Activity tab: every call the server made to this integration's vendor (health checks,
 * discovery, actions, token refreshes), newest first, from the server's interaction log. Online
 * only: the log is not cached on this computer. The dev partner viewing a partner reads theirs.
 */
export function ActivityScreen({ integrationKey }: { integrationKey: string }) {
  const detail = useIntegration(integrationKey);
  const { readOnlyReason } = usePermissions();
  const [outcome, setOutcome] = useState<InteractionOutcome | undefined>(undefined);
  const [actionId, setActionId] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<TimeRange>('any');
  const [from, setFrom] = useState<string | undefined>(undefined);
  const [via, setVia] = useState<'assistant' | undefined>(undefined);
  const [openId, setOpenId] = useState<number | null>(null);
  const filter = useMemo(
    () => ({ ...(outcome ? { outcome } : {}), ...(actionId ? { actionId } : {}), ...(from ? { from } : {}), ...(via ? { via } : {}) }),
    [outcome, actionId, from, via],
  );
  const log = useInteractions(integrationKey, filter);
  const items = useMemo(() => log.data?.pages.flatMap((p) => p.items) ?? [], [log.data]);
  // The action filter offers scheduled work plus every action seen so far.
  const [seenActions, setSeenActions] = useState<string[]>([]);
  const fresh = items.map((i) => i.actionId).filter((a) => !(a in workLabels) && !seenActions.includes(a));
  if (fresh.length > 0) setSeenActions([...new Set([...seenActions, ...fresh])].sort());

  if (detail.isPending) return <DetailSkeleton />;
  if (detail.isError) {
    return (
      <EmptyState tone="error" title="Couldn’t load this integration" action={<a href={hrefFor({ name: 'catalog' })}>Back to Integrations</a>}>
        {detail.error.message}
      </EmptyState>
    );
  }

  return (
    <div className="detail">
      <DetailHeader detail={detail.data} />
      <DetailTabs detail={detail.data} current="activity" />
      {readOnlyReason && <ReadOnlyNote reason={readOnlyReason} />}
      <section className="card" aria-labelledby="activity-title">
        <div className="card-header">
          <h2 id="activity-title">Activity</h2>
          <span className="muted">Every call to {detail.data.provider}, newest first</span>
        </div>
        <div className="card-body stack">
          <div className="row activity-filters">
            <label className="row">
              <span>Outcome</span>
              <select className="input" value={outcome ?? ''} onChange={(e) => {
                  setOutcome((e.target.value || undefined) as InteractionOutcome | undefined);
                  setOpenId(null);
                }}>
                <option value="">All outcomes</option>
                {interactionOutcomes.map((o) => (
                  <option key={o} value={o}>
                    {outcomeLabels[o]}
                  </option>
                ))}
              </select>
            </label>
            <label className="row">
              <span>What</span>
              <select className="input" value={actionId ?? ''} onChange={(e) => {
                  setActionId(e.target.value || undefined);
                  setOpenId(null);
                }}>
                <option value="">Everything</option>
                {Object.entries(workLabels).map(([id, label]) => (
                  <option key={id} value={id}>
                    {label}
                  </option>
                ))}
                {seenActions.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </label>
            <label className="row">
              <span>Time</span>
              <select
                className="input"
                value={range}
                onChange={(e) => {
                  const next = e.target.value as TimeRange;
                  setRange(next);
                  setFrom(fromFor(next, Date.now()));
                  setOpenId(null);
                }}
              >
                {Object.entries(timeRanges).map(([id, label]) => (
                  <option key={id} value={id}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label className="row">
              <span>By</span>
              <select className="input" value={via ?? ''} onChange={(e) => {
                  setVia(e.target.value === 'assistant' ? 'assistant' : undefined);
                  setOpenId(null);
                }}>
                <option value="">Anyone</option>
                <option value="assistant">Through AI assistants</option>
              </select>
            </label>
            <Button onClick={() => void log.refetch()} busy={log.isFetching && !log.isFetchingNextPage}>
              Refresh
            </Button>
          </div>
          {log.isPending ? (
            <Skeleton height={120} />
          ) : log.isError ? (
            <p className="muted" role="status">
              {log.error.code === 'UNAVAILABLE' ? 'The activity log is kept on the server and needs a connection.' : log.error.message}
            </p>
          ) : items.length === 0 ? (
            <p className="muted">{outcome || actionId || from || via ? 'No calls match these filters.' : `No calls to ${detail.data.provider} yet.`}</p>
          ) : (
            <div className="activity-scroll" role="region" aria-label="Calls" tabIndex={0}>
              <table className="checks-table activity-table" data-testid="interactions">
                <caption className="visually-hidden">Calls to {detail.data.provider}, newest first; open a row for its request and response</caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">What</th>
                    <th scope="col">Request</th>
                    <th scope="col">Status</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <Row key={item.id} item={item} open={openId === item.id} onOpen={() => setOpenId(item.id)} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {log.hasNextPage && (
            <Button onClick={() => void log.fetchNextPage()} busy={log.isFetchingNextPage}>
              Show older calls
            </Button>
          )}
        </div>
      </section>
      {openId !== null && <InteractionDetailPanel id={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}
