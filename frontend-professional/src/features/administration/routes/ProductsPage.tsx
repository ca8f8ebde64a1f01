import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { TextField } from '../../../components/Fields';
import { ErrorSummary } from '../../../components/Form';
import { formErrors } from '../../../components/formErrors';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { useCreateProduct, useProducts } from '../api/adminApi';
import { CODE, fieldId, useFormValues } from '../components/formHelpers';
import { Notice } from '../components/Notice';
import { useAdminScope } from '../useAdminScope';

const FIELDS = ['code', 'name', 'material', 'npu_code'] as const;
type F = (typeof FIELDS)[number];
const FORM = 'product';

/** National product codes: every administrator sees them; central administrators add new ones. */
export function ProductsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.sections.products.title'));
  const { central } = useAdminScope();
  const products = useProducts();
  const create = useCreateProduct();
  const { values, set, setValues } = useFormValues({ code: '', name: '', material: '', npu_code: '' });
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const labels: Record<F, string> = {
    code: t('admin.products.code'),
    name: t('admin.products.name'),
    material: t('admin.products.material'),
    npu_code: t('admin.products.npu'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(FORM, f), client, server: create.error });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const found: Partial<Record<F, string>> = {};
    if (!CODE.test(values.code)) found.code = t('admin.labs.codeInvalid');
    if (values.name.trim().length < 2) found.name = t('admin.required');
    if (values.material.trim().length < 2) found.material = t('admin.required');
    if (values.npu_code && !/^NPU\d{5}$/.test(values.npu_code)) found.npu_code = t('admin.products.npuInvalid');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      { code: values.code, name: values.name.trim(), material: values.material.trim(), npu_code: values.npu_code || null },
      {
        onSuccess: (p) => {
          setNotice(t('admin.products.created', { code: p.code }));
          setValues({ code: '', name: '', material: '', npu_code: '' });
        },
      },
    );
  };

  return (
    <>
      <h1>{t('admin.sections.products.title')}</h1>
      <Notice message={notice} />
      {products.isPending ? (
        <Loading />
      ) : products.isError ? (
        <ErrorAlert error={products.error} onRetry={() => void products.refetch()} />
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('admin.sections.products.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{labels.code}</th>
              <th scope="col">{labels.name}</th>
              <th scope="col">{labels.material}</th>
              <th scope="col">{labels.npu_code}</th>
              <th scope="col">{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {products.data.map((p) => (
              <tr key={p.code}>
                <td>{p.code}</td>
                <td>{p.name}</td>
                <td>{p.material}</td>
                <td>{p.npu_code ?? '–'}</td>
                <td>{p.retired ? t('admin.retired') : t('admin.active')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {central && (
        <>
          <h2>{t('admin.products.new')}</h2>
          <form onSubmit={submit} noValidate>
            <ErrorSummary items={errors.summary} />
            <ProblemAlert error={create.error} />
            <TextField id={fieldId(FORM, 'code')} label={labels.code} hint={t('admin.labs.codeHint')} helpKey="product.code" required size="small" value={values.code} onChange={(v) => set('code')(v.toUpperCase())} error={errors.byField.code} />
            <TextField id={fieldId(FORM, 'name')} label={labels.name} required value={values.name} onChange={set('name')} error={errors.byField.name} />
            <TextField id={fieldId(FORM, 'material')} label={labels.material} required value={values.material} onChange={set('material')} error={errors.byField.material} />
            <TextField id={fieldId(FORM, 'npu_code')} label={labels.npu_code} hint={t('admin.products.npuHint')} helpKey="product.npu_code" size="small" value={values.npu_code} onChange={(v) => set('npu_code')(v.toUpperCase())} error={errors.byField.npu_code} />
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              {t('admin.products.create')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
