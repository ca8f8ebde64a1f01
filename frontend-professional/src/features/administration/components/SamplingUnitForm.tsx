import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SamplingUnitIn } from '@shared/client/types.gen';
import { CheckboxGroup, ErrorSummary, SelectField, TextAreaField, TextField, formErrors } from '@shared/forms';
import { HSA_ID, fieldId, useFormValues } from './formHelpers';
import { useLaboratoryOptions, useRegionOptions } from './useOptions';

const FIELDS = ['hsa_id', 'name', 'region_code', 'street', 'postal_code', 'city', 'opening_hours', 'laboratory_codes'] as const;
type F = (typeof FIELDS)[number];

interface Props {
  form: string;
  initial?: SamplingUnitIn;
  /** HSA-id and region cannot change once the unit exists. */
  existing?: boolean;
  saving: boolean;
  serverError: unknown;
  submitLabel: string;
  onSave: (body: SamplingUnitIn) => void;
}

const EMPTY: SamplingUnitIn = {
  hsa_id: '',
  name: '',
  region_code: '',
  street: '',
  postal_code: '',
  city: '',
  opening_hours: '',
  laboratory_codes: [],
};

export function SamplingUnitForm({ form, initial = EMPTY, existing, saving, serverError, submitLabel, onSave }: Props) {
  const { t } = useTranslation();
  const { values, set } = useFormValues({ ...initial, opening_hours: initial.opening_hours ?? '' });
  const regions = useRegionOptions();
  const labs = useLaboratoryOptions(values.region_code || undefined);
  const [client, setClient] = useState<Partial<Record<F, string>>>({});

  const labels: Record<F, string> = {
    hsa_id: t('admin.hsaId'),
    name: t('admin.su.name'),
    region_code: t('admin.region'),
    street: t('admin.su.street'),
    postal_code: t('admin.su.postalCode'),
    city: t('admin.su.city'),
    opening_hours: t('admin.su.openingHours'),
    laboratory_codes: t('admin.su.laboratories'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(form, f), client, server: serverError });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<F, string>> = {};
    if (!HSA_ID.test(values.hsa_id.trim())) found.hsa_id = t('admin.hsaIdInvalid');
    if (values.name.trim().length < 2) found.name = t('admin.required');
    if (!values.region_code) found.region_code = t('admin.chooseRegion');
    if (values.street.trim().length < 2) found.street = t('admin.required');
    if (!/^\d{3} ?\d{2}$/.test(values.postal_code.trim())) found.postal_code = t('admin.su.postalCodeInvalid');
    if (values.city.trim().length < 2) found.city = t('admin.required');
    if (values.laboratory_codes.length === 0) found.laboratory_codes = t('admin.su.laboratoriesRequired');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    onSave({
      hsa_id: values.hsa_id.trim(),
      name: values.name.trim(),
      region_code: values.region_code,
      street: values.street.trim(),
      postal_code: values.postal_code.trim(),
      city: values.city.trim(),
      opening_hours: values.opening_hours.trim() || null,
      laboratory_codes: values.laboratory_codes,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors.summary} />
      <TextField
        id={fieldId(form, 'hsa_id')}
        label={labels.hsa_id}
        hint={t('admin.hsaIdHint')}
        helpKey="sampling_unit.hsa_id"
        required
        readOnly={existing}
        value={values.hsa_id}
        onChange={set('hsa_id')}
        error={errors.byField.hsa_id}
      />
      <TextField
        id={fieldId(form, 'name')}
        label={labels.name}
        helpKey="sampling_unit.name"
        required
        value={values.name}
        onChange={set('name')}
        error={errors.byField.name}
      />
      <SelectField
        id={fieldId(form, 'region_code')}
        label={labels.region_code}
        required
        disabled={existing}
        placeholder={t('admin.chooseRegion')}
        options={regions}
        value={values.region_code}
        onChange={set('region_code')}
        error={errors.byField.region_code}
      />
      <TextField
        id={fieldId(form, 'street')}
        label={labels.street}
        required
        autoComplete="off"
        value={values.street}
        onChange={set('street')}
        error={errors.byField.street}
      />
      <div className="row-fields">
        <TextField
          id={fieldId(form, 'postal_code')}
          label={labels.postal_code}
          required
          size="small"
          inputMode="numeric"
          value={values.postal_code}
          onChange={set('postal_code')}
          error={errors.byField.postal_code}
        />
        <TextField
          id={fieldId(form, 'city')}
          label={labels.city}
          required
          value={values.city}
          onChange={set('city')}
          error={errors.byField.city}
        />
      </div>
      <TextAreaField
        id={fieldId(form, 'opening_hours')}
        label={labels.opening_hours}
        helpKey="sampling_unit.opening_hours"
        rows={3}
        value={values.opening_hours}
        onChange={set('opening_hours')}
        error={errors.byField.opening_hours}
      />
      <CheckboxGroup
        id={fieldId(form, 'laboratory_codes')}
        legend={labels.laboratory_codes}
        helpKey="sampling_unit.laboratory_codes"
        options={labs}
        values={values.laboratory_codes}
        onChange={set('laboratory_codes')}
        error={errors.byField.laboratory_codes}
        emptyText={values.region_code ? t('admin.su.noLabs') : t('admin.su.chooseRegionFirst')}
      />
      <button type="submit" className="button button--primary" disabled={saving}>
        {saving ? t('admin.saving') : submitLabel}
      </button>
    </form>
  );
}
