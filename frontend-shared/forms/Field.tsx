// One accessible field for both apps: a label, the field's help text and hint, its error (from
// the client's checks or the server's 422) and the aria wiring between them (WCAG 1.3.1, 3.3.1,
// 3.3.2): the control names the help, the hint and the error with aria-describedby and says
// aria-invalid.
import type { ReactNode } from 'react';
import { useFormConventions, useHelpText } from './conventions';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

export function describedBy(...ids: unknown[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id.length > 0).join(' ');
  return list || undefined;
}

/** An error shown at its field. */
export function FieldError({ id, message }: { id?: string; message: string | undefined }) {
  const { errorPrefix } = useFormConventions();
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {errorPrefix && <span className="visually-hidden">{errorPrefix}</span>}
      {message}
    </p>
  );
}

function Marks({ required, optional }: { required?: boolean; optional?: boolean }) {
  const { requiredMark, optionalMark } = useFormConventions();
  return (
    <>
      {required && requiredMark && <span className="required"> {requiredMark}</span>}
      {optional && optionalMark && <span className="field__optional"> {optionalMark}</span>}
    </>
  );
}

/** The help text (while switched on) and the hint under a label or legend. */
function Descriptions({ helpId, help, hintId, hint }: { helpId: string; help?: string; hintId: string; hint?: ReactNode }) {
  return (
    <>
      {help && (
        <p id={helpId} className="help-text">
          {help}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </>
  );
}

export interface FieldProps {
  id: string;
  label: ReactNode;
  /** Help text key, e.g. "laboratory.label_template_zpl". */
  helpKey?: string;
  /** A short hint shown always (format, example). */
  hint?: ReactNode;
  error?: string;
  /** An error shown on the group around this field, which the field also refers to. */
  groupErrorId?: string;
  required?: boolean;
  optional?: boolean;
  children: (control: ControlProps) => ReactNode;
}

export function Field({ id, label, helpKey, hint, error, groupErrorId, required, optional, children }: FieldProps) {
  const help = useHelpText(helpKey);
  const helpId = `${id}-help`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = Boolean(error || groupErrorId);
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
        <Marks required={required} optional={optional} />
      </label>
      <Descriptions helpId={helpId} help={help} hintId={hintId} hint={hint} />
      <FieldError id={errorId} message={error} />
      {children({
        id,
        'aria-describedby': describedBy(help && helpId, hint && hintId, error && errorId, groupErrorId),
        ...(invalid ? { 'aria-invalid': true as const } : {}),
      })}
    </div>
  );
}

export interface FieldSetProps {
  id: string;
  legend: ReactNode;
  legendClassName?: string;
  helpKey?: string;
  hint?: ReactNode;
  error?: string;
  className?: string;
  /** Focusable itself (the error summary moves here; the default), or not (it then moves to the first control). */
  focusable?: boolean;
  children: ReactNode;
}

/** A group of checkboxes or radios (or sub-fields) with one legend, help text, hint and error. */
export function FieldSet({
  id,
  legend,
  legendClassName,
  helpKey,
  hint,
  error,
  className,
  focusable = true,
  children,
}: FieldSetProps) {
  const help = useHelpText(helpKey);
  const helpId = `${id}-help`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <fieldset
      id={id}
      tabIndex={focusable ? -1 : undefined}
      className={['fieldset', error ? 'field--error' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(help && helpId, hint && hintId, error && errorId)}
    >
      <legend className={legendClassName}>{legend}</legend>
      <Descriptions helpId={helpId} help={help} hintId={hintId} hint={hint} />
      <FieldError id={errorId} message={error} />
      {children}
    </fieldset>
  );
}
