// Form fields with their label, hint and error message tied together (WCAG 1.3.1, 3.3.1, 3.3.2):
// the input names the hint and the error with aria-describedby and says aria-invalid.
import type { ChangeEvent, HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list || undefined;
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      <span className="visually-hidden">{t('form.errorPrefix')}</span>
      {message}
    </p>
  );
}

interface BaseFieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  /** An error shown on the group around this field, which the field also refers to. */
  groupErrorId?: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  optional?: boolean;
}

function FieldLabel({ id, label, optional }: { id: string; label: string; optional?: boolean }) {
  const { t } = useTranslation();
  return (
    <label htmlFor={id} className="field__label">
      {label}
      {optional && <span className="field__optional"> {t('form.optional')}</span>}
    </label>
  );
}

interface TextFieldProps extends BaseFieldProps {
  type?: 'text' | 'tel' | 'email' | 'date' | 'time';
  autoComplete?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  width?: 'short' | 'medium' | 'full';
  spellCheck?: boolean;
}

export function TextField({
  id,
  label,
  hint,
  error,
  groupErrorId,
  value,
  onChange,
  required,
  optional,
  type = 'text',
  autoComplete,
  inputMode,
  width = 'full',
  spellCheck,
}: TextFieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <FieldLabel id={id} label={label} optional={optional} />
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      <FieldError id={errorId} message={error} />
      <input
        id={id}
        name={id}
        className={`input input--${width}`}
        type={type}
        value={value}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={spellCheck}
        required={required}
        aria-invalid={error || groupErrorId ? true : undefined}
        aria-describedby={describedBy(hint && hintId, error && errorId, groupErrorId)}
      />
    </div>
  );
}

interface TextAreaProps extends BaseFieldProps {
  rows?: number;
  maxLength?: number;
}

export function TextArea({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  required,
  optional,
  rows = 4,
  maxLength,
}: TextAreaProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <FieldLabel id={id} label={label} optional={optional} />
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      <FieldError id={errorId} message={error} />
      <textarea
        id={id}
        name={id}
        className="input input--full"
        rows={rows}
        value={value}
        maxLength={maxLength}
        onChange={(event) => onChange(event.target.value)}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint && hintId, error && errorId)}
      />
    </div>
  );
}

export interface RadioOption {
  value: string;
  label: ReactNode;
  description?: ReactNode;
}

interface RadioGroupProps {
  /** Id of the fieldset (the error summary links here; the focus goes to the first radio). */
  id: string;
  legend: ReactNode;
  legendClassName?: string;
  hint?: string;
  error?: string;
  options: RadioOption[];
  value: string;
  onChange: (value: string) => void;
  inline?: boolean;
  required?: boolean;
}

export function RadioGroup({
  id,
  legend,
  legendClassName,
  hint,
  error,
  options,
  value,
  onChange,
  inline,
  required,
}: RadioGroupProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <fieldset
      id={id}
      className={`field fieldset${error ? ' field--error' : ''}`}
      aria-describedby={describedBy(hint && hintId, error && errorId)}
    >
      <legend className={legendClassName ?? 'fieldset__legend'}>{legend}</legend>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      <FieldError id={errorId} message={error} />
      <div className={inline ? 'radios radios--inline' : 'radios'}>
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          const descriptionId = `${optionId}-description`;
          return (
            <div className="radio" key={option.value}>
              <input
                id={optionId}
                type="radio"
                name={id}
                value={option.value}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
                required={required}
                aria-invalid={error ? true : undefined}
                aria-describedby={option.description ? descriptionId : undefined}
              />
              <label htmlFor={optionId} className="radio__label">
                {option.label}
              </label>
              {option.description && (
                <div id={descriptionId} className="radio__description">
                  {option.description}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
