import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Automation } from '../../../../shared/automations.js';
import type { AppError } from '../../../../shared/errors.js';
import type { AutomationDraft, AutomationRunsLocalInput, AutomationRunsView, AutomationRunView, AutomationsView, AutomationView, CreateAutomationLocalInput, LocalAutomation, RecipesView, SetEnabledLocalInput, UpdateAutomationLocalInput } from '../../../../shared/localAutomations.js';
import type { ActionsView } from '../../../../shared/localActions.js';
import type { ReadScope } from '../DataSource.js';
import { useDataSource } from '../DataSourceContext.js';
import { useReadScope } from '../scope.js';

// Reads come from the core, which answers the server's copy or, offline, the one it kept (marked
// `fromCache` with its time). No retries: an error shows at once.

const own = (scope: ReadScope | undefined) => scope?.partnerId ?? 'own';

export function useAutomationList() {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<AutomationsView, AppError>({ queryKey: ['automations', own(scope), 'list'], queryFn: () => source.listAutomations(scope), retry: false, staleTime: 0 });
}

export function useAutomation(id: number | null) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<AutomationView, AppError>({ queryKey: ['automations', own(scope), 'one', id], queryFn: () => source.getAutomation(id ?? 0, scope), retry: false, enabled: id !== null, staleTime: 0 });
}

export function useAutomationRuns(input: AutomationRunsLocalInput) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<AutomationRunsView, AppError>({ queryKey: ['automations', own(scope), 'runs', input.automationId ?? null, input.status ?? null], queryFn: () => source.listAutomationRuns(input, scope), retry: false, staleTime: 0 });
}

/** A run, read again every second while it is queued or running (the server works it meanwhile). */
export function useAutomationRun(runId: number) {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<AutomationRunView, AppError>({
    queryKey: ['automations', own(scope), 'run', runId],
    queryFn: () => source.getAutomationRun(runId, scope),
    retry: false,
    refetchInterval: (query) => (query.state.data && !query.state.data.fromCache && ['queued', 'running'].includes(query.state.data.run.status) ? 1_000 : false),
  });
}

export function useRecipes(enabled: boolean) {
  const source = useDataSource();
  return useQuery<RecipesView, AppError>({ queryKey: ['automations', 'recipes'], queryFn: () => source.listRecipes(), retry: false, enabled });
}

/** Every integration's actions with their availability, for the step picker. */
export function useAllActions() {
  const source = useDataSource();
  const scope = useReadScope();
  return useQuery<ActionsView, AppError>({ queryKey: ['automations', own(scope), 'actions'], queryFn: () => source.listAllActions(scope), retry: false, staleTime: 0 });
}

/** Every automations read, the kept edits (under 'drafts') and the queue count, read again. */
function useSettled() {
  const client = useQueryClient();
  return () => void Promise.all(['automations', 'drafts', 'sync'].map((key) => client.invalidateQueries({ queryKey: [key] })));
}

/**
 * The changes (partner admins): every automations read is read again after each. Saves and the
 * switch are kept offline (answered with `pending`); the rest need the server.
 */
export function useAutomationMutations() {
  const source = useDataSource();
  const settled = useSettled();
  return {
    create: useMutation<LocalAutomation, AppError, CreateAutomationLocalInput>({ mutationFn: (input) => source.createAutomation(input), onSettled: settled }),
    update: useMutation<LocalAutomation, AppError, UpdateAutomationLocalInput>({ mutationFn: (input) => source.updateAutomation(input), onSettled: settled }),
    setEnabled: useMutation<LocalAutomation, AppError, SetEnabledLocalInput>({ mutationFn: (input) => source.setAutomationEnabled(input), onSettled: settled }),
    remove: useMutation<void, AppError, number>({ mutationFn: (id) => source.deleteAutomation(id), onSettled: settled }),
    addRecipe: useMutation<Automation, AppError, string>({ mutationFn: (id) => source.addRecipe(id), onSettled: settled }),
    runNow: useMutation<{ runId: number }, AppError, { id: number; input: Record<string, unknown> }>({ mutationFn: ({ id, input }) => source.runAutomation(id, input), onSettled: settled }),
    rerun: useMutation<{ runId: number }, AppError, number>({ mutationFn: (runId) => source.rerunAutomation(runId), onSettled: settled }),
  };
}

/** Automation edits kept offline; under 'drafts' so every draft change (and the sync count) refetches them. */
export function useAutomationDrafts(enabled: boolean) {
  const source = useDataSource();
  return useQuery<AutomationDraft[], AppError>({ queryKey: ['drafts', 'automations'], queryFn: () => source.listAutomationDrafts(), enabled });
}

export function useAutomationDraftActions() {
  const source = useDataSource();
  const settled = useSettled();
  return {
    discard: useMutation<void, AppError, number>({ mutationFn: (id) => source.discardAutomationDraft(id), onSettled: settled }),
    resolve: useMutation<void, AppError, { id: number; keep: 'mine' | 'theirs' }>({ mutationFn: ({ id, keep }) => source.resolveAutomationDraft(id, keep), onSettled: settled }),
  };
}
