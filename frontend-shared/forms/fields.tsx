// Ready-made fields on top of <Field>/<FieldSet>, used by both apps' forms.
import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field, FieldError, FieldSet } from './Field';

interface Common {
  id: string;
  label: ReactNode;
  helpKey?: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  optional?: boolean;
}

/** Width of a text input: `input--<size>` in the app's styles. */
export type InputSize = 'short' | 'small' | 'medium' | 'large' | 'full';

type InputExtras = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'inputMode' | 'autoComplete' | 'min' | 'max' | 'step' | 'readOnly' | 'maxLength' | 'pattern' | 'spellCheck'
>;

export function TextField({
  value,
  onChange,
  size = 'medium',
  groupErrorId,
  ...props
}: Common &
  InputExtras & {
    value: string;
    onChange: (value: string) => void;
    size?: InputSize;
    /** An error shown on the group around this field, which the field also refers to. */
    groupErrorId?: string;
  }) {
  const { id, label, helpKey, hint, error, required, optional, ...input } = props;
  return (
    <Field
      id={id}
      label={label}
      helpKey={helpKey}
      hint={hint}
      error={error}
      groupErrorId={groupErrorId}
      required={required}
      optional={optional}
    >
      {(control) => (
        <input
          {...control}
          {...input}
          name={id}
          type={input.type ?? 'text'}
          className={`input input--${size}`}
          value={value}
          required={required}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function TextAreaField({
  value,
  onChange,
  rows = 5,
  size = 'large',
  monospace,
  maxLength,
  ...props
}: Common & {
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  size?: InputSize;
  monospace?: boolean;
  maxLength?: number;
}) {
  const { id, label, helpKey, hint, error, required, optional } = props;
  return (
    <Field id={id} label={label} helpKey={helpKey} hint={hint} error={error} required={required} optional={optional}>
      {(control) => (
        <textarea
          {...control}
          name={id}
          className={monospace ? `input input--${size} input--mono` : `input input--${size}`}
          rows={rows}
          value={value}
          maxLength={maxLength}
          required={required}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  value,
  onChange,
  options,
  placeholder,
  disabled,
  ...props
}: Common & {
  value: string;
  onChange: (value: string) => void;
  options: Option[];
  placeholder?: string;
  disabled?: boolean;
}) {
  const { id, label, helpKey, hint, error, required } = props;
  return (
    <Field id={id} label={label} helpKey={helpKey} hint={hint} error={error} required={required}>
      {(control) => (
        <select
          {...control}
          className="input input--medium"
          value={value}
          required={required}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckboxGroup({
  id,
  legend,
  helpKey,
  hint,
  error,
  options,
  values,
  onChange,
  emptyText,
}: {
  id: string;
  legend: ReactNode;
  helpKey?: string;
  hint?: ReactNode;
  error?: string;
  options: Option[];
  values: string[];
  onChange: (values: string[]) => void;
  emptyText?: string;
}) {
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...values, value] : values.filter((v) => v !== value));
  return (
    <FieldSet id={id} legend={legend} helpKey={helpKey} hint={hint} error={error} className="checkbox-group">
      {options.length === 0 && emptyText && <p className="muted">{emptyText}</p>}
      {options.map((o) => {
        const optionId = `${id}-${o.value.replace(/[^A-Za-z0-9_-]/g, '_')}`;
        return (
          <div key={o.value} className="checkbox">
            <input
              type="checkbox"
              id={optionId}
              checked={values.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            <label htmlFor={optionId}>{o.label}</label>
          </div>
        );
      })}
    </FieldSet>
  );
}

export function CheckboxField({
  id,
  label,
  checked,
  onChange,
  error,
}: {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
}) {
  const errorId = `${id}-error`;
  return (
    <div className="checkbox">
      <input
        type="checkbox"
        id={id}
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      <FieldError id={errorId} message={error} />
    </div>
  );
}

export interface RadioOption {
  value: string;
  label: ReactNode;
  description?: ReactNode;
}

/** One choice among a few, each with an optional description; the error summary moves to its first radio. */
export function RadioGroup({
  id,
  legend,
  legendClassName = 'fieldset__legend',
  hint,
  error,
  options,
  value,
  onChange,
  inline,
  required,
}: {
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
}) {
  return (
    <FieldSet id={id} legend={legend} legendClassName={legendClassName} hint={hint} error={error} className="field" focusable={false}>
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
    </FieldSet>
  );
}
