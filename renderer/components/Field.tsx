import type { ReactNode } from 'react';
import './Field.css';

/** Attributes a control needs so its label, help and error are announced with it. */
export interface ControlA11y {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': boolean | undefined;
  'aria-required': boolean | undefined;
}

export interface FieldProps {
  id: string;
  label: string;
  required?: boolean;
  help?: ReactNode;
  error?: string | null;
  /** Checkbox layout: the control before its label. */
  inline?: boolean;
  /** Extra content under the label row (e.g. a saved-secret line), described with the control. */
  status?: ReactNode;
  children: (a11y: ControlA11y) => ReactNode;
}

/**
 * Label, required mark, help and error wired to one control by id, so every field is
 * announced the same way. The error space is reserved so typing never makes the form jump.
 */
export function Field({ id, label, required = false, help, error, inline = false, status, children }: FieldProps) {
  const helpId = help ? `${id}-help` : undefined;
  const statusId = status ? `${id}-status` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [statusId, errorId, helpId].filter(Boolean).join(' ') || undefined;
  const control = children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined, 'aria-required': required || undefined });
  const labelEl = (
    <label htmlFor={id} className="field-label">
      {label}
      {required && (
        <span className="field-required" aria-hidden="true">
          {' '}*
        </span>
      )}
    </label>
  );
  return (
    <div className={`field${inline ? ' field-inline' : ''}${error ? ' field-has-error' : ''}`}>
      {inline ? (
        <div className="field-inline-row">
          {control}
          {labelEl}
        </div>
      ) : (
        <>
          {labelEl}
          {status && (
            <div id={statusId} className="field-status">
              {status}
            </div>
          )}
          {control}
        </>
      )}
      <p id={errorId} className="field-error">
        {error ?? ''}
      </p>
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
    </div>
  );
}
