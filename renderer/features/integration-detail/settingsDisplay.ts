import type { FieldSpec, SettingsView } from '../../../shared/integrations/fields.js';
import { isSecretView } from './form/formModel.js';

/** How one stored value reads on screen: option labels, On/Off, "Saved ••••1234", "Not set". */
export function displayValue(spec: FieldSpec, settings: SettingsView | null): string {
  const value = settings?.[spec.key];
  if (spec.kind === 'Secret') return isSecretView(value) && value.isSet ? `Saved ••••${value.last4 ?? ''}` : 'Not set';
  if (spec.kind === 'Bool') return (typeof value === 'boolean' ? value : spec.default === true) ? 'On' : 'Off';
  if (typeof value !== 'string' || value === '') return 'Not set';
  if (spec.kind === 'Select') return spec.options.find((o) => o.value === value)?.label ?? value;
  return value;
}
