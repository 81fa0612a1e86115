import type { ApplySummary } from '../../app/data/types.js';
import type { ToastInput } from '../../components/Toast.js';

/** One toast for the outcome of applying drafts, worst news first. */
export function summaryToast(summary: ApplySummary): ToastInput {
  const parts: string[] = [];
  if (summary.applied) parts.push(`${summary.applied} applied`);
  if (summary.queued) parts.push(`${summary.queued} waiting for a connection`);
  if (summary.conflicts) parts.push(`${summary.conflicts} with a conflict to resolve`);
  if (summary.rejected) parts.push(`${summary.rejected} refused by the server`);
  const body = parts.join(', ') || 'Nothing to apply.';
  if (summary.rejected || summary.conflicts) return { tone: 'error', title: 'Some changes need attention', body };
  if (summary.queued) return { tone: 'info', title: 'Queued until you’re back online', body };
  return { tone: 'success', title: summary.applied === 1 ? 'Change applied' : 'Changes applied', body };
}
