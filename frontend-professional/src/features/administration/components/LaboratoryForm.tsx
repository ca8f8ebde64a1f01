import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GetLaboratoryResponse, LaboratoryUpdate, MappingIo } from '@shared/client/types.gen';

// By the operation, not the schema name: the backend has two schemas called LaboratoryOut.
type LaboratoryOut = GetLaboratoryResponse;
import { CheckboxGroup, ErrorSummary, FieldSet, SelectField, TextAreaField, TextField, formErrors } from '@shared/forms';
import { useProducts } from '../api/products';
import { fieldId, useFormValues, zplProblems } from './formHelpers';
import { useCareUnitOptions } from './useOptions';

const FIELDS = ['name', 'label_template_zpl', 'customers', 'mappings'] as const;
type F = (typeof FIELDS)[number];
const FORM = 'lab';

interface Props {
  lab: LaboratoryOut;
  saving: boolean;
  serverError: unknown;
  onSave: (body: LaboratoryUpdate) => void;
  /** A retired laboratory: shown, not changeable. */
  readOnly?: boolean;
}

/** Name, label template, customers (care units it sends results to), product code mappings. */
export function LaboratoryForm({ lab, saving, serverError, onSave, readOnly = false }: Props) {
  const { t } = useTranslation();
  const products = useProducts();
  const careUnits = useCareUnitOptions(lab.region_code);
  const { values, set } = useFormValues({
    name: lab.name,
    label_template_zpl: lab.label_template_zpl ?? '',
    customers: lab.customers,
    mappings: lab.mappings,
  });
  const [client, setClient] = useState<Partial<Record<F, string>>>({});

  // Customers outside the region (set by a central administrator) stay selectable.
  const customerOptions = [
    ...careUnits,
    ...values.customers
      .filter((c) => !careUnits.some((o) => o.value === c))
      .map((c) => ({ value: c, label: c })),
  ];

  const labels: Record<F, string> = {
    name: t('admin.labs.name'),
    label_template_zpl: t('admin.labs.template'),
    customers: t('admin.labs.customers'),
    mappings: t('admin.labs.mappings'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(FORM, f), client, server: serverError });

  const setMapping = (index: number, patch: Partial<MappingIo>) =>
    set('mappings')(values.mappings.map((m, i) => (i === index ? { ...m, ...patch } : m)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<F, string>> = {};
    if (values.name.trim().length < 2) found.name = t('admin.required');
    const zpl = values.label_template_zpl.trim();
    if (zpl && zplProblems(zpl).length > 0) found.label_template_zpl = t('admin.labs.templateInvalid');
    const incomplete = values.mappings.some((m) => !m.product_code || !m.lab_code.trim() || !m.tube_code.trim() || !m.material.trim());
    const codes = values.mappings.map((m) => m.product_code);
    if (incomplete) found.mappings = t('admin.labs.mappingIncomplete');
    else if (new Set(codes).size !== codes.length) found.mappings = t('admin.labs.mappingDuplicate');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    onSave({
      name: values.name.trim(),
      label_template_zpl: zpl || null,
      customers: values.customers,
      mappings: values.mappings.map((m) => ({
        product_code: m.product_code,
        lab_code: m.lab_code.trim(),
        tube_code: m.tube_code.trim(),
        material: m.material.trim(),
      })),
    });
  };

  // A retired product code is not offered for new rows; a row that already has it keeps it.
  const productOptions = (products.data ?? [])
    .filter((p) => !p.retired || values.mappings.some((m) => m.product_code === p.code))
    .map((p) => ({
      value: p.code,
      label: p.retired ? `${p.name} (${p.code}) – ${t('admin.decommissioned')}` : `${p.name} (${p.code})`,
    }));

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors.summary} />
      <fieldset className="plain-fieldset" disabled={readOnly}>
        <TextField
          id={fieldId(FORM, 'name')}
          label={labels.name}
          helpKey="laboratory.name"
          required
          value={values.name}
          onChange={set('name')}
          error={errors.byField.name}
        />
        <TextAreaField
          id={fieldId(FORM, 'label_template_zpl')}
          label={labels.label_template_zpl}
          hint={t('admin.labs.templateHint')}
          helpKey="laboratory.label_template_zpl"
          monospace
          rows={6}
          value={values.label_template_zpl}
          onChange={set('label_template_zpl')}
          error={errors.byField.label_template_zpl}
        />
        <CheckboxGroup
          id={fieldId(FORM, 'customers')}
          legend={labels.customers}
          hint={t('admin.labs.customersHint')}
          helpKey="laboratory.customers"
          options={customerOptions}
          values={values.customers}
          onChange={set('customers')}
          error={errors.byField.customers}
          emptyText={t('admin.labs.noCareUnits')}
        />
        <FieldSet
          id={fieldId(FORM, 'mappings')}
          legend={labels.mappings}
          hint={t('admin.labs.mappingsHint')}
          helpKey="laboratory.mappings"
          error={errors.byField.mappings}
        >
          {values.mappings.length === 0 && <p className="muted">{t('admin.labs.noMappings')}</p>}
          {values.mappings.map((mapping, index) => {
            const row = `${FORM}-mapping-${index}`;
            return (
              <fieldset key={index} className="row-fieldset">
                <legend>{t('admin.labs.mappingRow', { n: index + 1 })}</legend>
                <div className="row-fields">
                  <SelectField
                    id={`${row}-product`}
                    label={t('admin.labs.productCode')}
                    placeholder={t('admin.labs.chooseProduct')}
                    options={productOptions}
                    value={mapping.product_code}
                    onChange={(code) => {
                      const product = products.data?.find((p) => p.code === code);
                      setMapping(index, {
                        product_code: code,
                        material: mapping.material || product?.material || '',
                      });
                    }}
                  />
                  <TextField
                    id={`${row}-lab-code`}
                    label={t('admin.labs.labCode')}
                    size="small"
                    value={mapping.lab_code}
                    onChange={(v) => setMapping(index, { lab_code: v })}
                  />
                  <TextField
                    id={`${row}-tube-code`}
                    label={t('admin.labs.tubeCode')}
                    size="small"
                    value={mapping.tube_code}
                    onChange={(v) => setMapping(index, { tube_code: v })}
                  />
                  <TextField
                    id={`${row}-material`}
                    label={t('admin.labs.material')}
                    value={mapping.material}
                    onChange={(v) => setMapping(index, { material: v })}
                  />
                </div>
                <button
                  type="button"
                  className="button button--link"
                  onClick={() => set('mappings')(values.mappings.filter((_, i) => i !== index))}
                >
                  {t('admin.labs.removeMapping', { n: index + 1 })}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() =>
              set('mappings')([...values.mappings, { product_code: '', lab_code: '', tube_code: '', material: '' }])
            }
          >
            {t('admin.labs.addMapping')}
          </button>
        </FieldSet>
      </fieldset>
      {!readOnly && (
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? t('admin.saving') : t('admin.save')}
          </button>
        </div>
      )}
    </form>
  );
}
