import type { SettingsView } from '../../../shared/integrations/fields.js';
import type { Draft, LocalSyncStatus } from '../../../shared/localApi.js';

/** How a draft's lifecycle reads on its card (the core's states, plus "being sent now"). */
export type DraftBadgeState = 'draft' | 'queued' | 'pushing' | 'conflict' | 'rejected';

/**
 * The core's state as the card shows it: a reviewed draft is still the admin's to apply, a
 * failed review reads as refused (edit it), and a queued one is "sending" while the engine pushes.
 */
export function draftBadgeState(draft: Draft, sync: LocalSyncStatus | undefined): DraftBadgeState {
  switch (draft.state) {
    case 'draft':
      return draft.error ? 'rejected' : 'draft';
    case 'reviewed':
    case 'applied':
      return 'draft';
    case 'queued':
      return sync?.activity.phase === 'pushing' ? 'pushing' : 'queued';
    case 'conflict':
    case 'rejected':
      return draft.state;
  }
}

/**
 * The draft's settings to show in a form: its plain values over the base, a secret typed into
 * it shown as set (its value stays in the core), other secrets as the base has them.
 */
export function draftSettings(draft: Draft): SettingsView | null {
  if (draft.kind === 'delete') return null;
  const view: SettingsView = { ...(draft.base ?? {}), ...draft.values };
  for (const field of draft.typedSecrets) view[field] = { isSet: true, last4: null };
  return view;
}
