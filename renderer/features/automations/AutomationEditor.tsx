import { useMemo, useState } from 'react';
import type { ActionDescriptor } from '../../../shared/actions.js';
import type { Automation, Trigger } from '../../../shared/automations.js';
import type { AppError } from '../../../shared/errors.js';
import type { IntegrationSummary } from '../../../shared/integrations/catalog.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';
import { blankStep, isDisconnected, placeErrors, stepFormOf, stepOf, templatePaths, type StepForm } from './editorModel.js';
import { StepEditor } from './StepEditor.js';
import { TriggerEditor } from './TriggerEditor.js';

export interface EditorValue {
  name: string;
  trigger: Trigger;
  steps: ReturnType<typeof stepOf>[];
  concurrency: number;
}

interface AutomationEditorProps {
  automation: Automation | null;
  actions: ActionDescriptor[];
  integrations: IntegrationSummary[];
  disabled: boolean;
  saving: boolean;
  /** The last save's refusal: its field messages are placed on the step and field they name. */
  error: AppError | null;
  /** Said beside Save before saving (offline: the change is kept and sent on reconnect). */
  saveNote?: string | null;
  onSave(value: EditorValue): void;
}

const newTrigger: Trigger = { kind: 'manual', inputs: [] };

/**
 * The form-based editor: name, trigger and ordered steps. Saving sends the whole definition;
 * the server type-checks every step and answers field by field, shown where each belongs. A step
 * whose integration cannot run now keeps everything, marked Disconnected, with a banner naming
 * the integration; saving still works (a run fails at that step until it is connected).
 */
export function AutomationEditor({ automation, actions, integrations, disabled, saving, error, saveNote = null, onSave }: AutomationEditorProps) {
  const [name, setName] = useState(automation?.name ?? '');
  const [trigger, setTrigger] = useState<Trigger>(automation?.trigger ?? newTrigger);
  const [steps, setSteps] = useState<StepForm[]>(() => (automation ? automation.steps.map(stepFormOf) : [blankStep([])]));
  const byId = useMemo(() => new Map(actions.map((a) => [a.id, a])), [actions]);
  const names = useMemo(() => new Map(integrations.map((i) => [i.key, i.name])), [integrations]);
  const integrationName = (key: string) => names.get(key) ?? key;
  // New steps offer only integrations that can run now; a step's own action stays (StepEditor).
  const groups = useMemo(() => {
    const map = new Map<string, ActionDescriptor[]>();
    for (const a of actions) {
      if (isDisconnected(a)) continue;
      const group = names.get(a.integrationKey) ?? a.integrationKey;
      map.set(group, [...(map.get(group) ?? []), a]);
    }
    return [...map.entries()].sort(([x], [y]) => x.localeCompare(y));
  }, [actions, names]);
  const placed = placeErrors(error?.fields, steps.length);
  const disconnected = steps.flatMap((s) => {
    const action = byId.get(s.actionId);
    return action && isDisconnected(action) ? [{ step: s.name, integration: integrationName(action.integrationKey), why: action.unavailable?.message ?? '' }] : [];
  });
  const update = (i: number, step: StepForm) => setSteps(steps.map((s, j) => (j === i ? step : s)));
  const move = (i: number, delta: -1 | 1) => {
    const next = [...steps];
    const [moved] = next.splice(i, 1);
    if (moved) next.splice(i + delta, 0, moved);
    setSteps(next);
  };
  const problems = error ? [...(error.fields ? Object.values(error.fields).flat() : [error.message])] : [];

  return (
    <form
      className="automation-editor stack"
      aria-label="Automation"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ name, trigger, steps: steps.map((s) => stepOf(s, byId.get(s.actionId))), concurrency: automation?.concurrency ?? 1 });
      }}
    >
      {disconnected.map((d) => (
        <p key={d.step} className="notice notice-warn" role="status">
          Step {d.step} uses {d.integration}, which is not connected ({d.why}). Its configuration is kept{disabled ? '' : ' and the automation can still be saved'}; a run fails at this step until {d.integration} is connected.
        </p>
      ))}
      {error && (
        <div className="notice notice-danger notice-column" role="alert" data-testid="automation-save-error">
          <strong>Not saved: {problems.length === 1 ? 'one problem' : `${problems.length} problems`}.</strong>
          {placed.other.length > 0 && (
            <ul>
              {placed.other.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
          {error.fields && placed.other.length === 0 && <span>Each is shown on its step and field below.</span>}
        </div>
      )}
      <section className="card">
        <div className="card-body stack">
          <Field id="automation-name" label="Name" required error={placed.name ?? null}>
            {(a11y) => <input className="input" {...a11y} value={name} disabled={disabled} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <TriggerEditor trigger={trigger} integrations={integrations} errors={placed.trigger} disabled={disabled} onChange={setTrigger} />
        </div>
      </section>
      <section aria-labelledby="steps-title" className="stack">
        <h2 id="steps-title">Steps</h2>
        <p className="muted">
          Inputs may be templates: <code>{'{{trigger.message}}'}</code>, <code>{'{{steps.<name>.output.<field>}}'}</code>. Type <code>{'{{'}</code> to see what a field can read.
        </p>
        <ol className="automation-steps">
          {steps.map((s, i) => (
            <StepEditor
              key={s.key}
              index={i}
              count={steps.length}
              step={s}
              action={byId.get(s.actionId)}
              groups={groups}
              integrationName={integrationName}
              paths={templatePaths(trigger, steps, i, byId)}
              errors={placed.steps[i] ?? { input: {} }}
              disabled={disabled}
              onChange={(next) => update(i, next)}
              onMove={(d) => move(i, d)}
              onRemove={() => setSteps(steps.filter((_, j) => j !== i))}
            />
          ))}
        </ol>
        {!disabled && (
          <div className="row">
            <Button onClick={() => setSteps([...steps, blankStep(steps)])}>Add a step</Button>
            <Button type="submit" variant="primary" busy={saving} aria-describedby={saveNote ? 'automation-save-note' : undefined}>
              Save
            </Button>
            {saveNote && (
              <span id="automation-save-note" className="muted" data-testid="automation-offline-save">
                {saveNote}
              </span>
            )}
          </div>
        )}
      </section>
    </form>
  );
}
