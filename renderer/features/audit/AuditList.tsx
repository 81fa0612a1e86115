import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { FieldSpec } from '../../../shared/integrations/fields.js';
import { useAuditPages } from '../../app/data/hooks/useIntegrations.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Skeleton } from '../../components/Skeleton.js';
import './AuditList.css';
import { AuditRow } from './AuditRow.js';

/** The list scrolls inside this height; shorter histories take only the room they need. */
const maxHeight = 420;

/**
 * The integration's audit trail, newest first: virtualised (only visible rows are in the DOM)
 * and paginated by keyset, loading the next page when the end scrolls into view or on the
 * "Load older entries" button, which keyboard users can reach.
 */
export function AuditList({ integrationKey, fields }: { integrationKey: string; fields: readonly FieldSpec[] }) {
  const audit = useAuditPages(integrationKey);
  const entries = useMemo(() => audit.data?.pages.flatMap((p) => p.entries) ?? [], [audit.data]);
  const labels = useMemo(() => Object.fromEntries(fields.map((f) => [f.key, f.label])), [fields]);
  const scroller = useRef<HTMLDivElement>(null);
  // The virtualiser returns fresh functions each render by design; the compiler rule does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 76,
    overscan: 8,
    initialRect: { width: 640, height: 420 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = audit;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= entries.length - 3) void fetchNextPage();
  }, [lastIndex, entries.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (audit.isPending) {
    return (
      <div className="audit-scroller" aria-busy="true" aria-label="Loading audit history">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="audit-row audit-row-skeleton">
            <Skeleton width={10} height={10} radius={5} />
            <div className="audit-main">
              <Skeleton width="40%" />
              <Skeleton width="70%" height={12} />
            </div>
          </div>
        ))}
      </div>
    );
  }
  if (audit.isError) {
    return (
      <EmptyState tone="error" title="Couldn’t load the audit history" action={<Button onClick={() => void audit.refetch()}>Try again</Button>}>
        {audit.error.message}
      </EmptyState>
    );
  }
  if (entries.length === 0) {
    return <EmptyState title="No audit entries yet">Changes, connection tests and health changes to this integration will be listed here.</EmptyState>;
  }

  return (
    <>
      <div ref={scroller} className="audit-scroller" style={{ height: Math.min(maxHeight, virtualizer.getTotalSize()) }} tabIndex={0} role="region" aria-label="Audit history, newest first">
        <ul className="audit-list" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = entries[item.index];
            if (!entry) return null;
            return (
              <li key={entry.id} ref={virtualizer.measureElement} data-index={item.index} className="audit-item" style={{ transform: `translateY(${item.start}px)` }} aria-setsize={hasNextPage ? -1 : entries.length} aria-posinset={item.index + 1}>
                <AuditRow entry={entry} labels={labels} />
              </li>
            );
          })}
        </ul>
      </div>
      <div className="audit-footer">
        <span className="muted">
          {entries.length} {entries.length === 1 ? 'entry' : 'entries'} loaded{hasNextPage ? '' : ' — that’s everything'}
        </span>
        {hasNextPage && (
          <Button size="sm" onClick={() => void fetchNextPage()} busy={isFetchingNextPage}>
            Load older entries
          </Button>
        )}
      </div>
    </>
  );
}
