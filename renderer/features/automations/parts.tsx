import type { RunStatus } from '../../../shared/automations.js';
import type { AutomationPending } from '../../../shared/localAutomations.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import { formatAbsolute } from '../../components/RelativeTime.js';

const runTone: Record<string, BadgeTone> = { succeeded: 'ok', failed: 'danger', dead: 'danger', running: 'info', queued: 'neutral', cancelled: 'neutral', skipped: 'neutral' };
const runWords: Record<string, string> = { succeeded: 'Succeeded', failed: 'Failed', dead: 'Dead (retries used up)', running: 'Running', queued: 'Queued', cancelled: 'Cancelled', skipped: 'Skipped' };

/** A run's or a step's outcome in words. */
export function OutcomeBadge({ status }: { status: RunStatus | 'skipped' }) {
  return <Badge tone={runTone[status] ?? 'neutral'}>{runWords[status] ?? status}</Badge>;
}

/**
 * The copy on screen is the one the core kept: said so, with when it was read. What that means
 * for the controls (saves kept and sent on reconnect, runs refused) is said beside them.
 */
export function ReadMark({ view }: { view: { fromCache: boolean; fetchedAt: string | null } }) {
  if (!view.fromCache) return null;
  return (
    <p className="notice notice-warn" role="status" data-testid="automations-offline">
      Offline: as read {view.fetchedAt ? formatAbsolute(view.fetchedAt) : 'earlier'}.
    </p>
  );
}

const pendingWords: Record<AutomationPending['state'], string> = { queued: 'Pending', applied: 'Sent', conflict: 'Pending: conflict', rejected: 'Pending: refused' };

/** An automation with an edit kept offline (shown instead of the server's copy until it is sent). */
export function PendingBadge({ pending }: { pending: AutomationPending }) {
  return (
    <span title="Changed offline; sent by itself when you reconnect (Pending changes)">
      <Badge tone={pending.state === 'queued' ? 'info' : 'danger'}>{pendingWords[pending.state]}</Badge>
    </span>
  );
}

/** "83%", or a dash before any run finished. */
export function successRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** "1.2 s", "340 ms". */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
