import { healthChanges, type Trigger } from '../../../shared/automations.js';
import type { IntegrationSummary } from '../../../shared/integrations/catalog.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Field.js';

interface TriggerEditorProps {
  trigger: Trigger;
  integrations: IntegrationSummary[];
  errors: Record<string, string>;
  disabled: boolean;
  onChange(trigger: Trigger): void;
}

const changeWords: Record<(typeof healthChanges)[number], string> = { error: 'Turns Error', degraded: 'Turns Degraded', recovered: 'Recovers' };

/** A fresh trigger of a kind, keeping what carries over (the integration). */
function triggerOf(kind: Trigger['kind'], from: Trigger, firstKey: string): Trigger {
  const key = 'integrationKey' in from && from.integrationKey ? from.integrationKey : null;
  switch (kind) {
    case 'health':
      return { kind, integrationKey: key, on: ['error'] };
    case 'inbound':
      return { kind, integrationKey: key ?? firstKey };
    case 'schedule':
      return { kind, cron: '0 7 * * 1-5', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' };
    case 'manual':
      return { kind, inputs: [] };
  }
}

/** What starts the automation: a health change, an inbound webhook, a schedule, or Run now. */
export function TriggerEditor({ trigger, integrations, errors, disabled, onChange }: TriggerEditorProps) {
  const options = integrations.map((i) => (
    <option key={i.key} value={i.key}>
      {i.name}
    </option>
  ));
  return (
    <fieldset className="automation-trigger stack">
      <legend>Trigger</legend>
      <Field id="trigger-kind" label="Runs">
        {(a11y) => (
          <select className="input" {...a11y} value={trigger.kind} disabled={disabled} onChange={(e) => onChange(triggerOf(e.target.value as Trigger['kind'], trigger, integrations[0]?.key ?? ''))}>
            <option value="health">When an integration's health changes</option>
            <option value="inbound">On an inbound webhook</option>
            <option value="schedule">On a schedule (cron)</option>
            <option value="manual">By hand (Run now)</option>
          </select>
        )}
      </Field>
      {trigger.kind === 'health' && (
        <>
          <Field id="trigger-integration" label="Integration" error={errors.integrationKey ?? null}>
            {(a11y) => (
              <select className="input" {...a11y} value={trigger.integrationKey ?? ''} disabled={disabled} onChange={(e) => onChange({ ...trigger, integrationKey: e.target.value || null })}>
                <option value="">Any integration</option>
                {options}
              </select>
            )}
          </Field>
          <fieldset className="row" aria-describedby={errors.on ? 'trigger-on-error' : undefined}>
            <legend className="field-label">When it</legend>
            {healthChanges.map((c) => (
              <label key={c} className="row">
                <input
                  type="checkbox"
                  checked={trigger.on.includes(c)}
                  disabled={disabled}
                  onChange={(e) => onChange({ ...trigger, on: e.target.checked ? [...trigger.on, c] : trigger.on.filter((o) => o !== c) })}
                />
                {changeWords[c]}
              </label>
            ))}
            {errors.on && (
              <p id="trigger-on-error" className="field-error">
                {errors.on}
              </p>
            )}
          </fieldset>
        </>
      )}
      {trigger.kind === 'inbound' && (
        <Field id="trigger-integration" label="Integration" required help="Its inbound webhook (Integration → Inbound webhook) runs this automation." error={errors.integrationKey ?? null}>
          {(a11y) => (
            <select className="input" {...a11y} value={trigger.integrationKey} disabled={disabled} onChange={(e) => onChange({ ...trigger, integrationKey: e.target.value })}>
              {options}
            </select>
          )}
        </Field>
      )}
      {trigger.kind === 'schedule' && (
        <div className="automation-step-grid">
          <Field id="trigger-cron" label="Cron" required help="Five fields: minute hour day month weekday, e.g. 0 7 * * 1-5." error={errors.cron ?? null}>
            {(a11y) => <input className="input mono" {...a11y} value={trigger.cron} disabled={disabled} onChange={(e) => onChange({ ...trigger, cron: e.target.value })} />}
          </Field>
          <Field id="trigger-tz" label="Time zone" help="IANA name, e.g. Europe/Berlin." error={errors.timeZone ?? null}>
            {(a11y) => <input className="input" {...a11y} value={trigger.timeZone} disabled={disabled} onChange={(e) => onChange({ ...trigger, timeZone: e.target.value })} />}
          </Field>
        </div>
      )}
      {trigger.kind === 'manual' && (
        <div className="stack">
          <p className="muted">Run now asks for these inputs; templates read them as trigger.input.&lt;name&gt;.</p>
          {trigger.inputs.map((input, i) => {
            const patch = (p: Partial<typeof input>) => onChange({ ...trigger, inputs: trigger.inputs.map((x, j) => (j === i ? { ...x, ...p } : x)) });
            return (
              <div key={i} className="row">
                <Field id={`trigger-input-${i}`} label={`Input ${i + 1} name`} error={errors.inputs ?? null}>
                  {(a11y) => <input className="input mono" {...a11y} value={input.name} disabled={disabled} onChange={(e) => patch({ name: e.target.value })} />}
                </Field>
                <Field id={`trigger-input-${i}-type`} label="Type">
                  {(a11y) => (
                    <select className="input" {...a11y} value={input.type} disabled={disabled} onChange={(e) => patch({ type: e.target.value as typeof input.type })}>
                      <option value="string">Text</option>
                      <option value="number">Number</option>
                      <option value="boolean">Yes/no</option>
                    </select>
                  )}
                </Field>
                <label className="row">
                  <input type="checkbox" checked={input.required} disabled={disabled} onChange={(e) => patch({ required: e.target.checked })} />
                  Required
                </label>
                {!disabled && (
                  <Button size="sm" variant="ghost" onClick={() => onChange({ ...trigger, inputs: trigger.inputs.filter((_, j) => j !== i) })}>
                    Remove input
                  </Button>
                )}
              </div>
            );
          })}
          {!disabled && (
            <div>
              <Button size="sm" onClick={() => onChange({ ...trigger, inputs: [...trigger.inputs, { name: `input${trigger.inputs.length + 1}`, type: 'string', required: true }] })}>
                Add an input
              </Button>
            </div>
          )}
        </div>
      )}
    </fieldset>
  );
}
