import { useState } from 'react';
import { useAllActions, useAutomation, useAutomationMutations } from '../../app/data/hooks/useAutomations.js';
import { useIntegrations } from '../../app/data/hooks/useIntegrations.js';
import { hrefFor, navigate } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { useAutomationAccess } from './access.js';
import { AutomationEditor, type EditorValue } from './AutomationEditor.js';
import { ReadMark, successRate } from './parts.js';
import { RunHistory } from './RunHistory.js';
import { RunNowForm } from './RunNowForm.js';
import './Automations.css';

/** One automation (or a new one, `id` null): the editor, Run now, and its run history. */
export function AutomationScreen({ id }: { id: number | null }) {
  const one = useAutomation(id);
  const actions = useAllActions();
  const integrations = useIntegrations();
  const access = useAutomationAccess(one.data?.fromCache === true);
  const { create, update, runNow } = useAutomationMutations();
  const toast = useToast();
  const [runOpen, setRunOpen] = useState(false);
  const automation = one.data?.automation ?? null;
  const save = id === null ? create : update;

  if ((id !== null && one.isPending) || actions.isPending || integrations.isPending) return <Skeleton height={320} />;
  if (id !== null && one.isError) {
    return (
      <EmptyState tone="error" title="This automation could not be read" action={<a href={hrefFor({ name: 'automations' })}>Back to Automations</a>}>
        {one.error.message}
      </EmptyState>
    );
  }
  const onSave = (value: EditorValue) => {
    const done = {
      onSuccess: (saved: { id: number }) => {
        toast({ tone: 'success', title: 'Automation saved' });
        if (id === null) navigate({ name: 'automation', id: saved.id });
      },
    };
    if (automation) update.mutate({ ...value, id: automation.id, baseVersion: automation.version }, done);
    else create.mutate({ ...value, enabled: false }, done);
  };
  const run = (input: Record<string, unknown>) => {
    if (!automation) return;
    runNow.mutate(
      { id: automation.id, input },
      {
        onSuccess: ({ runId }) => navigate({ name: 'automationRun', runId }),
        onError: (e) => {
          if (!e.fields) toast({ tone: 'error', title: 'The run did not start', body: e.message });
        },
      },
    );
  };
  const manualInputs = automation?.trigger.kind === 'manual' ? automation.trigger.inputs : [];

  return (
    <div className="automations stack">
      <p>
        <a href={hrefFor({ name: 'automations' })}>← Automations</a>
      </p>
      <header className="page-header">
        <div>
          <h1>{automation ? automation.name : 'New automation'}</h1>
          {automation && (
            <p className="muted">
              Version {automation.version} · {automation.enabled ? 'Enabled' : 'Disabled'} · success rate {successRate(automation.successRate)}
            </p>
          )}
        </div>
        {automation && access.canEdit && (
          <div className="stack automation-run-actions">
            <Button variant="primary" disabled={!automation.enabled} onClick={() => (manualInputs.length > 0 ? setRunOpen(true) : run({}))} busy={runNow.isPending && !runOpen}>
              Run now
            </Button>
            {/* The server runs enabled automations only (a disabled one starts no new runs). */}
            {!automation.enabled && <span className="muted">Enable it (Automations list) to run it.</span>}
          </div>
        )}
      </header>
      {one.data && <ReadMark view={one.data} />}
      {access.reason && <p className="muted" data-testid="automations-readonly">{access.reason}</p>}
      {actions.isError && <p className="notice notice-warn">The actions could not be read ({actions.error.message}); steps show their action ids.</p>}
      {runOpen && automation && <RunNowForm inputs={manualInputs} busy={runNow.isPending} error={runNow.error} onRun={run} onCancel={() => setRunOpen(false)} />}
      <AutomationEditor
        key={automation?.version ?? 'new'}
        automation={automation}
        actions={actions.data?.items ?? []}
        integrations={integrations.data ?? []}
        disabled={!access.canEdit}
        saving={save.isPending}
        error={save.error}
        onSave={onSave}
      />
      {automation && <RunHistory automationId={automation.id} />}
    </div>
  );
}
