import { useState } from 'react';
import type { FieldErrors } from '../../../shared/errors.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsInput, SettingsSchemaMode } from '../../../shared/integrations/fields.js';
import { useSaveConfiguration, useTestConnection } from '../../app/data/hooks/useIntegrationMutations.js';
import type { Draft, LocalSyncStatus, TestConnectionResult as ConnectionTestResult } from '../../../shared/localApi.js';
import { draftSettings } from '../changes/draftView.js';
import { useToast } from '../../components/Toast.js';
import { ConfigurationForm } from './form/ConfigurationForm.js';
import { TestResult } from './TestResult.js';

export interface ConfigurationEditorProps {
  detail: IntegrationDetail;
  sync: LocalSyncStatus | undefined;
  /** A pending draft of this integration, which the form then edits instead of the server's settings. */
  draft: Draft | undefined;
}

/** What saving will do, as the core decides it (electron/core/services/submitChange.ts). */
type SaveMode = 'apply' | 'draft' | 'queue';

function saveMode(sync: LocalSyncStatus | undefined, hasDraft: boolean): { mode: SaveMode; note: string | null } {
  if (hasDraft) return { mode: 'draft', note: 'You are editing the pending draft: saving updates it, and you apply it from Pending changes.' };
  if (sync?.reviewMode) return { mode: 'draft', note: 'Review mode is on: saving creates a draft to review and apply from Pending changes.' };
  if (sync?.connection !== 'online') return { mode: 'queue', note: 'You’re offline: saving queues the change, and it is applied by itself when you reconnect.' };
  return { mode: 'apply', note: null };
}

/**
 * A saved configuration's check result stops describing it once a later check was recorded (a
 * rollback, the schedule, someone's test): the Status panel says what holds now.
 */
function superseded(shown: { subject: string; result: ConnectionTestResult }, lastCheck: string | null): boolean {
  return shown.subject === 'Saved configuration' && lastCheck !== null && Date.parse(lastCheck) > Date.parse(shown.result.checkedAt);
}

/** The admin's form: save (or draft), server errors inline, test the unsaved values. */
export function ConfigurationEditor({ detail, sync, draft }: ConfigurationEditorProps) {
  const save = useSaveConfiguration();
  const test = useTestConnection(detail.key);
  const toast = useToast();
  const [serverErrors, setServerErrors] = useState<FieldErrors | null>(null);
  const [testResult, setTestResult] = useState<{ subject: string; result: ConnectionTestResult } | null>(null);
  const { mode, note } = saveMode(sync, Boolean(draft));
  const settings = draft ? draftSettings(draft) : detail.settings;
  const online = sync?.connection === 'online';

  const onSubmit = (settings: SettingsInput, mode: SettingsSchemaMode) => {
    setServerErrors(null);
    save.mutate(
      { key: detail.key, settings, mode, baseVersion: detail.state.version },
      {
        onSuccess: (result) => {
          if (result.outcome === 'applied') {
            toast({ tone: 'success', title: `${detail.name} saved`, body: 'Checking the connection now…' });
            // The scheduled check may be a while away: check right now, so the status says whether it works.
            test.mutate({ afterSave: true }, {
              onSuccess: (r) => {
                setTestResult({ subject: 'Saved configuration', result: r });
                toast(r.health === 'error' ? { tone: 'error', title: `${detail.name}: connection failed`, body: r.message ?? undefined } : { tone: 'success', title: `${detail.name}: connection works` });
              },
              onError: (e) => toast({ tone: 'error', title: 'Saved, but the connection check couldn’t run', body: e.message }),
            });
          } else if (result.draft.state === 'conflict') toast({ tone: 'info', title: 'Someone else changed this meanwhile', body: 'Your edit is kept as a draft; choose what to keep in Pending changes.' });
          else if (result.draft.state === 'queued') toast({ tone: 'info', title: 'Queued', body: 'It is applied by itself when you reconnect.' });
          else toast({ tone: 'info', title: 'Saved as a draft', body: 'Review and apply it from Pending changes.' });
        },
        onError: (error) => {
          if (error.fields) setServerErrors(error.fields);
          toast({ tone: 'error', title: `Couldn’t save ${detail.name}`, body: error.fields ? 'Fix the highlighted fields and save again.' : error.message });
        },
      },
    );
  };

  const onTest = (settings: SettingsInput) =>
    test.mutate({ settings }, {
      onSuccess: (result) => {
        setTestResult({ subject: 'Unsaved values', result });
        toast(result.health === 'error' ? { tone: 'error', title: 'These values don’t connect', body: result.message ?? undefined } : { tone: 'success', title: 'These values connect' });
      },
      onError: (error) => toast({ tone: 'error', title: 'Couldn’t run the test', body: error.message }),
    });

  return (
    <div className="stack">
      <ConfigurationForm
        // A new version from the server starts the form afresh from what is stored now.
        key={`${detail.state.version ?? 'new'}:${draft?.updatedAt ?? ''}`}
        idPrefix={`cfg-${detail.key}`}
        fields={detail.fields}
        settings={settings}
        serverErrors={serverErrors ?? draft?.error?.fields ?? null}
        submitLabel={mode === 'draft' ? 'Save draft' : mode === 'queue' ? 'Queue change' : settings ? 'Save changes' : 'Save and connect'}
        busy={save.isPending}
        onSubmit={onSubmit}
        onTest={online ? onTest : undefined}
        testing={test.isPending}
        note={note}
      />
      {testResult && !superseded(testResult, detail.state.lastHealthCheck) && <TestResult subject={testResult.subject} result={testResult.result} />}
    </div>
  );
}
