// Accessible form building blocks: a label, the field's help text (when help texts are on), its
// error (from the client or the server), and the aria wiring between them.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldHelpText } from './FieldHelp';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  id: string;
  label: ReactNode;
  /** Help text key, e.g. "laboratory.label_template_zpl". */
  helpKey?: string;
  /** A short hint shown always (format, example). */
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (control: ControlProps) => ReactNode;
}

function describedBy(...ids: unknown[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id.length > 0).join(' ');
  return list || undefined;
}

/** An error shown at its field (from the client's checks or the server's 422). */
export function ErrorText({ id, message }: { id?: string; message: string }) {
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

function RequiredMark() {
  const { t } = useTranslation();
  return <span className="required"> {t('form.requiredMark')}</span>;
}

export function Field({ id, label, helpKey, hint, error, required, children }: FieldProps) {
  const help = useFieldHelpText(helpKey);
  const helpId = `${id}-help`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
        {required && <RequiredMark />}
      </label>
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
      {error && <ErrorText id={errorId} message={error} />}
      {children({
        id,
        'aria-describedby': describedBy(help && helpId, hint && hintId, error && errorId),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
    </div>
  );
}

interface FieldSetProps {
  id: string;
  legend: ReactNode;
  helpKey?: string;
  hint?: ReactNode;
  error?: string;
  className?: string;
  children: ReactNode;
}

/** A group of checkboxes or radios (or sub-fields) with one legend, help text and error. */
export function FieldSet({ id, legend, helpKey, hint, error, className, children }: FieldSetProps) {
  const help = useFieldHelpText(helpKey);
  const helpId = `${id}-help`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      className={['fieldset', error ? 'field--error' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(help && helpId, hint && hintId, error && errorId)}
    >
      <legend>{legend}</legend>
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
      {error && <ErrorText id={errorId} message={error} />}
      {children}
    </fieldset>
  );
}

export interface SummaryItem {
  /** The id of the element to move to (a control or a fieldset); none for general errors. */
  target?: string;
  message: string;
}

/**
 * "Formuläret innehåller fel": lists every error with a link to its field and takes focus when
 * it appears (or changes), so keyboard and screen reader users land on it.
 */
export function ErrorSummary({ items }: { items: SummaryItem[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const signature = items.map((i) => `${i.target}:${i.message}`).join('|');
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (items.length === 0) return null;
  return (
    <div ref={ref} className="error-summary" tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {t('form.errorSummary')}
      </h2>
      <ul>
        {items.map((item, index) => (
          <li key={`${item.target ?? 'general'}-${index}`}>
            {item.target ? (
              <a
                href={`#${item.target}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(item.target!)?.focus();
                }}
              >
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
