// The form-field system of both apps: fields, the error summary and the 422 → field mapping.
export { FormConventionsContext, useFormConventions } from './conventions';
export type { FormConventions } from './conventions';
export { describedBy, Field, FieldError, FieldSet } from './Field';
export type { ControlProps, FieldProps, FieldSetProps } from './Field';
export { CheckboxField, CheckboxGroup, RadioGroup, SelectField, TextAreaField, TextField } from './fields';
export type { InputSize, Option, RadioOption } from './fields';
export { ErrorSummary, focusField } from './ErrorSummary';
export type { SummaryItem } from './ErrorSummary';
export { fieldErrorsOf, formErrors, serverFieldCodes, serverFieldErrors, wordingOf } from './fieldErrors';
export type { FieldErrorsResult, FormErrors } from './fieldErrors';
