import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorSummary, SelectField, TextAreaField, TextField, formErrors } from '@shared/forms';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { useCreateLaboratory } from '../api/laboratories';
import { CODE, fieldId, useFormValues, zplProblems } from '../components/formHelpers';
import { useRegionOptions } from '../components/useOptions';

const FIELDS = ['code', 'name', 'region_code', 'label_template_zpl'] as const;
type F = (typeof FIELDS)[number];
const FORM = 'lab-new';

export function LaboratoryCreatePage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.labs.newTitle'));
  const navigate = useNavigate();
  const create = useCreateLaboratory();
  const regions = useRegionOptions();
  const { values, set } = useFormValues({ code: '', name: '', region_code: '', label_template_zpl: '' });
  const [client, setClient] = useState<Partial<Record<F, string>>>({});

  const labels: Record<F, string> = {
    code: t('admin.labs.code'),
    name: t('admin.labs.name'),
    region_code: t('admin.region'),
    label_template_zpl: t('admin.labs.template'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(FORM, f), client, server: create.error });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<F, string>> = {};
    if (!CODE.test(values.code)) found.code = t('admin.labs.codeInvalid');
    if (values.name.trim().length < 2) found.name = t('admin.required');
    if (!values.region_code) found.region_code = t('admin.chooseRegion');
    const zpl = values.label_template_zpl.trim();
    if (zpl && zplProblems(zpl).length > 0) found.label_template_zpl = t('admin.labs.templateInvalid');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      {
        code: values.code,
        name: values.name.trim(),
        region_code: values.region_code,
        label_template_zpl: zpl || null,
      },
      {
        onSuccess: (result) =>
          void navigate(`/admin/laboratorier/${encodeURIComponent(result.item.code)}`, {
            state: { notice: t('admin.labs.created', { name: result.item.name }) },
          }),
      },
    );
  };

  return (
    <>
      <h1>{t('admin.labs.newTitle')}</h1>
      <p>{t('admin.labs.newIntro')}</p>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.summary} />
        <ProblemAlert error={create.error} />
        <TextField
          id={fieldId(FORM, 'code')}
          label={labels.code}
          hint={t('admin.labs.codeHint')}
          helpKey="laboratory.code"
          required
          size="small"
          value={values.code}
          onChange={(v) => set('code')(v.toUpperCase())}
          error={errors.byField.code}
        />
        <TextField
          id={fieldId(FORM, 'name')}
          label={labels.name}
          helpKey="laboratory.name"
          required
          value={values.name}
          onChange={set('name')}
          error={errors.byField.name}
        />
        <SelectField
          id={fieldId(FORM, 'region_code')}
          label={labels.region_code}
          required
          placeholder={t('admin.chooseRegion')}
          options={regions}
          value={values.region_code}
          onChange={set('region_code')}
          error={errors.byField.region_code}
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
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {t('admin.labs.create')}
          </button>
          <Link to="/admin/laboratorier">{t('admin.cancel')}</Link>
        </div>
      </form>
    </>
  );
}
