// Ready-made fields on top of <Field>/<FieldSet> for the many administration forms.
import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field, FieldSet } from './Form';

interface Common {
  id: string;
  label: ReactNode;
  helpKey?: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
}

type InputExtras = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'inputMode' | 'autoComplete' | 'min' | 'max' | 'step' | 'readOnly' | 'maxLength' | 'pattern'
>;

export function TextField({
  value,
  onChange,
  size = 'medium',
  ...props
}: Common & InputExtras & { value: string; onChange: (value: string) => void; size?: 'small' | 'medium' | 'large' }) {
  const { id, label, helpKey, hint, error, required, ...input } = props;
  return (
    <Field id={id} label={label} helpKey={helpKey} hint={hint} error={error} required={required}>
      {(control) => (
        <input
          {...control}
          {...input}
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
  monospace,
  ...props
}: Common & { value: string; onChange: (value: string) => void; rows?: number; monospace?: boolean }) {
  const { id, label, helpKey, hint, error, required } = props;
  return (
    <Field id={id} label={label} helpKey={helpKey} hint={hint} error={error} required={required}>
      {(control) => (
        <textarea
          {...control}
          className={monospace ? 'input input--large input--mono' : 'input input--large'}
          rows={rows}
          value={value}
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
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
