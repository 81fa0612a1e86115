import type { ControlA11y } from '../../components/Field.js';
import { completeTemplate, openTemplate, suggestionsFor } from './editorModel.js';

interface TemplateInputProps {
  a11y: ControlA11y;
  value: string;
  /** What `{{ … }}` may read here: the trigger's data and earlier steps' outputs. */
  paths: string[];
  multiline?: boolean;
  disabled: boolean;
  onChange(value: string): void;
}

/**
 * A text that may hold `{{ templates }}`. While a `{{` is open at the end, the paths it may
 * read are offered as buttons; one click completes it. Buttons, not a custom listbox: they work
 * with the keyboard and screen readers as they are.
 */
export function TemplateInput({ a11y, value, paths, multiline = false, disabled, onChange }: TemplateInputProps) {
  const partial = disabled ? null : openTemplate(value);
  const suggestions = partial === null ? [] : suggestionsFor(partial, paths);
  return (
    <div className="template-input">
      {multiline ? (
        <textarea className="input mono" rows={3} {...a11y} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input type="text" className="input mono" {...a11y} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} />
      )}
      {suggestions.length > 0 && (
        <div className="template-suggestions" role="group" aria-label="Complete the template">
          {suggestions.map((p) => (
            <button key={p} type="button" className="template-suggestion mono" onClick={() => onChange(completeTemplate(value, p))}>
              {p}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
