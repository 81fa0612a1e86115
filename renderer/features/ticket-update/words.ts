import type { TicketLinkType } from '../../../shared/actions.js';
import type { IntentState, IntentStepKind } from '../../../shared/localActions.js';

/** The words the screens use for the shared vocabularies, declared once. */
export const linkTypeLabel: Record<TicketLinkType, string> = { related: 'Related', resolves: 'Resolves', documents: 'Documents', caused_by: 'Caused by' };

export const intentStateLabel: Record<IntentState, string> = {
  draft: 'Draft',
  reviewed: 'Reviewed',
  queued: 'Queued',
  sent: 'Posted',
  failed: 'Failed',
  needs_attention: 'Needs attention',
};

export const stepLabel: Record<IntentStepKind, string> = { comment: 'Comment', attach_report: 'Backup report (CSV + HTML)', add_time: 'Time entry' };
