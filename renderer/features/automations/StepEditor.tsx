import type { ActionDescriptor } from '../../../shared/actions.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';
import { humanize } from '../actions/schemaForm.js';
import { isDisconnected, stepFields, type StepErrors, type StepForm } from './editorModel.js';
import { TemplateInput } from './TemplateInput.js';

interface StepEditorProps {
  index: number;
  count: number;
  step: StepForm;
  action: ActionDescriptor | undefined;
  /** Actions by integration name, for the picker (new steps: available integrations only). */
  groups: [string, ActionDescriptor[]][];
  integrationName(key: string): string;
  paths: string[];
  errors: StepErrors;
  disabled: boolean;
  onChange(step: StepForm): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}

/** One step: its name, action, inputs (templates allowed), condition and what to do on failure. */
export function StepEditor({ index, count, step, action, groups, integrationName, paths, errors, disabled, onChange, onMove, onRemove }: StepEditorProps) {
  const id = (part: string) => `step-${step.key}-${part}`;
  const set = (patch: Partial<StepForm>) => onChange({ ...step, ...patch });
  const fields = stepFields(action);
  const known = new Set(fields.map((f) => f.name));
  // Inputs the action does not list (a typo, or an action that changed) stay visible, so the server's error has a place.
  const extra = Object.keys(step.values).filter((k) => !known.has(k));
  const inPicker = groups.some(([, actions]) => actions.some((a) => a.id === step.actionId));
  const disconnected = isDisconnected(action);
  return (
    <li className={`card automation-step${disconnected ? ' automation-step-disconnected' : ''}`} aria-label={`Step ${index + 1}: ${step.name}`}>
      <div className="card-header row automation-step-header">
        <h3>
          Step {index + 1}: <span className="mono">{step.name || '(unnamed)'}</span>
        </h3>
        <div className="row">
          {action?.sideEffectful && <Badge tone="info">Changes data at {integrationName(action.integrationKey)}</Badge>}
          {disconnected && <Badge tone="warn">Disconnected</Badge>}
          {!disabled && (
            <>
              <Button size="sm" variant="ghost" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move step ${step.name} up`}>
                ↑
              </Button>
              <Button size="sm" variant="ghost" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Move step ${step.name} down`}>
                ↓
              </Button>
              <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove step ${step.name}`}>
                Remove
              </Button>
            </>
          )}
        </div>
      </div>
      <div className="card-body automation-step-body">
        <div className="automation-step-grid">
          <Field id={id('name')} label="Step name" required help="Later steps read it as steps.<name>.output." error={errors.name ?? null}>
            {(a11y) => <input className="input mono" {...a11y} value={step.name} disabled={disabled} onChange={(e) => set({ name: e.target.value })} />}
          </Field>
          <Field id={id('action')} label="Action" required error={errors.actionId ?? null}>
            {(a11y) => (
              <select className="input" {...a11y} value={step.actionId} disabled={disabled} onChange={(e) => set({ actionId: e.target.value, values: {} })}>
                <option value="">Choose an action</option>
                {/* The step's own action stays listed even when its integration is not available now. */}
                {!inPicker && step.actionId && <option value={step.actionId}>{action ? `${integrationName(action.integrationKey)}: ${action.label}` : step.actionId}</option>}
                {groups.map(([group, actions]) => (
                  <optgroup key={group} label={group}>
                    {actions.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.label}
                        {a.sideEffectful ? ' (changes data)' : ''}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
        </div>
        {action && <p className="muted">{action.description}</p>}
        {(fields.length > 0 || extra.length > 0) && (
          <fieldset className="automation-inputs">
            <legend>Inputs</legend>
            {[...fields.map((f) => ({ name: f.name, label: f.label, required: f.required, description: f.description, long: f.kind === 'textarea' || f.kind === 'json' })), ...extra.map((name) => ({ name, label: humanize(name), required: false, description: 'Not an input of this action.', long: false }))].map((f) => (
              <Field
                key={f.name}
                id={id(`input-${f.name}`)}
                label={f.label}
                required={f.required}
                help={f.description}
                error={errors.input[f.name] ?? null}
              >
                {(a11y) => <TemplateInput a11y={a11y} value={step.values[f.name] ?? ''} paths={paths} multiline={f.long} disabled={disabled} onChange={(v) => set({ values: { ...step.values, [f.name]: v } })} />}
              </Field>
            ))}
          </fieldset>
        )}
        <div className="automation-step-grid">
          <Field id={id('condition')} label="Condition" help="Optional. The step runs only when this is true, e.g. steps.read.status = &quot;succeeded&quot;." error={errors.condition ?? null}>
            {(a11y) => <TemplateInput a11y={a11y} value={step.condition} paths={paths} disabled={disabled} onChange={(v) => set({ condition: v })} />}
          </Field>
          <Field id={id('failure')} label="On failure" error={errors.onFailure ?? null}>
            {(a11y) => (
              <div className="row">
                <select className="input" {...a11y} value={step.onFailure} disabled={disabled} onChange={(e) => set({ onFailure: e.target.value as StepForm['onFailure'] })}>
                  <option value="stop">Stop the run</option>
                  <option value="continue">Continue with the next step</option>
                  <option value="retry">Retry, then stop</option>
                </select>
                {step.onFailure === 'retry' && (
                  <label className="row">
                    <input className="input automation-small" type="number" min={1} max={5} value={step.times} disabled={disabled} onChange={(e) => set({ times: e.target.value })} />
                    <span className="muted">times</span>
                  </label>
                )}
              </div>
            )}
          </Field>
        </div>
      </div>
    </li>
  );
}
