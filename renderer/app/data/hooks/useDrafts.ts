import { useMutation, useQuery } from '@tanstack/react-query';
import type { AppError } from '../../../../shared/errors.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import { useDataSource } from '../DataSourceContext.js';
import type { ConflictChoice, Draft } from '../../../../shared/localApi.js';
import type { ApplySummary } from '../types.js';

/**
 * What to do when a change to a draft finishes. Given to the hook (not to `mutate`), so it runs
 * even when the card that started it is gone by then: an applied, discarded or resolved draft
 * leaves the list, often before the answer arrives, and its toast must still show.
 */
export interface DraftCallbacks<T> {
  onSuccess?(result: T): void;
  onError?(error: AppError): void;
}

export function useDrafts(enabled = true) {
  const source = useDataSource();
  return useQuery<Draft[], AppError>({ queryKey: ['drafts'], queryFn: () => source.listDrafts(), enabled });
}

export function useUpdateDraft() {
  const source = useDataSource();
  return useMutation<Draft, AppError, { id: number; settings: SettingsInput }>({
    mutationFn: ({ id, settings }) => source.updateDraft(id, settings),
  });
}

export function useDiscardDraft(callbacks: DraftCallbacks<void> = {}) {
  const source = useDataSource();
  return useMutation<void, AppError, number>({ mutationFn: (id) => source.discardDraft(id), ...callbacks });
}

export function useApplyDrafts(callbacks: DraftCallbacks<ApplySummary> = {}) {
  const source = useDataSource();
  return useMutation<ApplySummary, AppError, number[] | 'all'>({ mutationFn: (ids) => source.applyDrafts(ids), ...callbacks });
}

export function useResolveConflict(callbacks: DraftCallbacks<Draft | null> = {}) {
  const source = useDataSource();
  return useMutation<Draft | null, AppError, { id: number; choices: Record<string, ConflictChoice> }>({
    mutationFn: ({ id, choices }) => source.resolveConflict(id, choices),
    ...callbacks,
  });
}
