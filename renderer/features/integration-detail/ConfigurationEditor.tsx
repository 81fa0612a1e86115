import { useState } from 'react';
import type { FieldErrors } from '../../../shared/errors.js';
import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import type { SettingsInput, SettingsSchemaMode, SettingsView } from '../../../shared/integrations/fields.js';
import { useSaveConfiguration, useTestConnection } from '../../app/data/hooks/useIntegrationMutations.js';
import type { Draft, LocalSyncStatus, TestConnectionResult as ConnectionTestResult } from '../../../shared/localApi.js';
import { draftSettings } from '../changes/draftView.js';
import { Button } from '../../components/Button.js';
import { useToast } from '../../components/Toast.js';
import { ConfigurationForm } from './form/ConfigurationForm.js';
import type { FormEdits } from './form/useConfigurationForm.js';
import { TestResult } from './TestResult.js';

export interface ConfigurationEditorProps {
  detail: IntegrationDetail;
  sync: LocalSyncStatus | undefined;
  /** A pending draft of this integration, which the form then edits instead of the server's settings. */
  draft: Draft | undefined;
}

/**
 * What the form opened with. `key` remounts it; `carry` is typing kept from the form before it,
 * and `arrived` says so when a newer version came in meanwhile (with the fields both changed).
 */
interface Shown {
  key: string;
  settings: SettingsView | null;
  carry?: FormEdits;
  arrived?: { version: number | null; overlap: string[] };
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
  const online = sync?.connection === 'online';
  const settings = draft ? draftSettings(draft) : detail.settings;
  const key = `${detail.state.version ?? 'new'}:${draft?.updatedAt ?? ''}`;
  const [shown, setShown] = useState<Shown>({ key, settings });
  const [edits, setEdits] = useState<FormEdits | null>(null);
  // After pressing save, the next version or draft is the save's own (it may arrive after the
  // answer): taken as is. A refused save makes none, so its error clears this.
  const [ownNext, setOwnNext] = useState(false);
  const [resets, setResets] = useState(0);
  if (shown.key !== key) {
    // A newer version (a colleague, the rollback of another window) reached the desktop while the
    // form holds typing: show the new version with the typing kept on top, and say so, instead of
    // wiping what was typed. Fields not typed in take the new version's values.
    const carry = ownNext ? null : edits;
    setOwnNext(false);
    const overlap = carry ? detail.fields.filter((f) => f.key in carry.values && JSON.stringify(shown.settings?.[f.key]) !== JSON.stringify(settings?.[f.key])).map((f) => f.label) : [];
    setShown(carry ? { key, settings, carry, arrived: { version: detail.state.version, overlap } } : { key, settings });
  }

  const onSubmit = (settings: SettingsInput, mode: SettingsSchemaMode) => {
    setServerErrors(null);
    setOwnNext(true);
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
          setOwnNext(false);
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
      {shown.arrived && (
        <div className="notice notice-warn config-arrived" role="status">
          <div>
            <p>
              <strong>Someone saved a newer version{shown.arrived.version === null ? '' : ` (version ${shown.arrived.version})`} while you were editing.</strong> The form shows it,
              with your edits kept on top; saving sends them over it.
              {shown.arrived.overlap.length > 0 && ` They changed ${shown.arrived.overlap.join(', ')} too: check your value there before saving.`}
            </p>
            <Button
              size="sm"
              onClick={() => {
                setShown({ key, settings });
                setResets((n) => n + 1);
              }}
            >
              Discard my edits
            </Button>
          </div>
        </div>
      )}
      <ConfigurationForm
        // A new version or draft starts the form afresh, with any typing carried over (see `shown`).
        key={`${shown.key}:${resets}`}
        idPrefix={`cfg-${detail.key}`}
        fields={detail.fields}
        settings={shown.settings}
        carry={shown.carry}
        onEditsChange={setEdits}
        serverErrors={serverErrors ?? draft?.error?.fields ?? null}
        submitLabel={mode === 'draft' ? 'Save draft' : mode === 'queue' ? 'Queue change' : shown.settings ? 'Save changes' : 'Save and connect'}
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
