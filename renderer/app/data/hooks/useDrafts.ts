import { useMutation, useQuery } from '@tanstack/react-query';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import { useDataSource } from '../DataSourceContext.js';
import type { DataSourceError } from '../DataSourceError.js';
import type { ApplySummary, Draft, FieldChoice } from '../types.js';

export function useDrafts(enabled = true) {
  const source = useDataSource();
  return useQuery<Draft[], DataSourceError>({ queryKey: ['drafts'], queryFn: () => source.listDrafts(), enabled });
}

export function useUpdateDraft() {
  const source = useDataSource();
  return useMutation<Draft, DataSourceError, { id: string; settings: SettingsInput }>({
    mutationFn: ({ id, settings }) => source.updateDraft(id, settings),
  });
}

export function useDiscardDraft() {
  const source = useDataSource();
  return useMutation<void, DataSourceError, string>({ mutationFn: (id) => source.discardDraft(id) });
}

export function useApplyDrafts() {
  const source = useDataSource();
  return useMutation<ApplySummary, DataSourceError, string[] | 'all'>({ mutationFn: (ids) => source.applyDrafts(ids) });
}

export function useResolveConflict() {
  const source = useDataSource();
  return useMutation<Draft, DataSourceError, { id: string; choices: Record<string, FieldChoice> }>({
    mutationFn: ({ id, choices }) => source.resolveConflict(id, choices),
  });
}
