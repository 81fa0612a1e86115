import type { FieldSpec, SettingsView } from '../../../shared/integrations/fields.js';
import { displayValue } from './settingsDisplay.js';

/** The settings read-only (technicians, the dev partner viewing another partner). Secrets stay masked. */
export function SettingsSummary({ fields, settings }: { fields: readonly FieldSpec[]; settings: SettingsView | null }) {
  if (!settings) return <p className="muted">This integration is not configured.</p>;
  return (
    <dl className="kv">
      {fields.map((spec) => {
        const text = displayValue(spec, settings);
        const literal = text !== 'Not set' && (spec.kind === 'Secret' || spec.kind === 'Text' || spec.kind === 'Url');
        return (
          <div key={spec.key} className="kv-row">
            <dt>{spec.label}</dt>
            <dd className={literal ? 'mono' : text === 'Not set' ? 'muted' : undefined}>{text}</dd>
          </div>
        );
      })}
    </dl>
  );
}
