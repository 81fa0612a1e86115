import { useState } from 'react';
import { AppError } from '../../../shared/errors.js';
import type { AutomationPending, LocalAutomation } from '../../../shared/localAutomations.js';
import { useAllActions, useAutomation, useAutomationMutations } from '../../app/data/hooks/useAutomations.js';
import { useIntegrations } from '../../app/data/hooks/useIntegrations.js';
import { hrefFor, navigate } from '../../app/router.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Skeleton } from '../../components/Skeleton.js';
import { useToast } from '../../components/Toast.js';
import { offlineSaveNotice, savedOfflineTitle, useAutomationAccess } from './access.js';
import { AutomationEditor, type EditorValue } from './AutomationEditor.js';
import { PendingBadge, ReadMark, successRate } from './parts.js';
import { RunHistory } from './RunHistory.js';
import { RunNowForm } from './RunNowForm.js';
import './Automations.css';

/** What the kept edit on screen is, and where it is resolved. */
function PendingNote({ pending }: { pending: AutomationPending }) {
  const where = <a href={hrefFor({ name: 'changes' })}>Pending changes</a>;
  if (pending.state === 'conflict') {
    return (
      <p className="notice notice-danger" role="status" data-testid="automation-pending">
        Your change made offline conflicts with one saved on the server meanwhile: keep one or the other on {where}.
      </p>
    );
  }
  if (pending.state === 'rejected') {
    return (
      <p className="notice notice-danger" role="status" data-testid="automation-pending">
        The server refused your change made offline (below): fix it and save again, or discard it on {where}.
      </p>
    );
  }
  return (
    <p className="notice notice-info" role="status" data-testid="automation-pending">
      This shows your change made offline; it is sent by itself when you reconnect ({where}).
    </p>
  );
}

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
      onSuccess: (saved: LocalAutomation) => {
        toast(saved.pending ? { tone: 'success', title: savedOfflineTitle } : { tone: 'success', title: 'Automation saved' });
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
  // Not yet on the server (created offline): nothing to run or to list runs of.
  const onServer = automation !== null && automation.id > 0;
  // A kept edit the server refused: its message and fields, placed in the editor like a save's.
  const refused = automation?.pending?.state === 'rejected' ? new AppError('VALIDATION_FAILED', automation.pending.error ?? 'The server refused this change', { fields: automation.pending.fields ?? undefined }) : null;

  return (
    <div className="automations stack">
      <p>
        <a href={hrefFor({ name: 'automations' })}>← Automations</a>
      </p>
      <header className="page-header">
        <div>
          <h1>{automation ? automation.name : 'New automation'}</h1>
          {automation && (
            <p className="muted row">
              {onServer ? `Version ${automation.version}` : 'Not yet on the server'} · {automation.enabled ? 'Enabled' : 'Disabled'} · success rate {successRate(automation.successRate)}
              {automation.pending && <PendingBadge pending={automation.pending} />}
            </p>
          )}
        </div>
        {automation && onServer && access.canRun && (
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
      {automation?.pending && <PendingNote pending={automation.pending} />}
      {actions.isError && <p className="notice notice-warn">The actions could not be read ({actions.error.message}); steps show their action ids.</p>}
      {runOpen && automation && <RunNowForm inputs={manualInputs} busy={runNow.isPending} error={runNow.error} onRun={run} onCancel={() => setRunOpen(false)} />}
      <AutomationEditor
        key={automation ? `${automation.version}:${automation.pending?.draftId ?? ''}:${automation.pending?.state ?? ''}` : 'new'}
        automation={automation}
        actions={actions.data?.items ?? []}
        integrations={integrations.data ?? []}
        disabled={!access.canEdit}
        saving={save.isPending}
        error={save.error ?? refused}
        saveNote={access.offline && access.canEdit ? offlineSaveNotice : null}
        onSave={onSave}
      />
      {automation && onServer && <RunHistory automationId={automation.id} />}
    </div>
  );
}
