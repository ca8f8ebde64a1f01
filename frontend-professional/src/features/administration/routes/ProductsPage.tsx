import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import type { NationalProduct as ProductOut, ProductUpdate } from '@shared/client/types.gen';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { CheckboxField, ErrorSummary, TextField, formErrors } from '@shared/forms';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import { useCreateProduct, useProducts, useRetireProduct, useUpdateProduct } from '../api/products';
import { CODE, fieldId, useFormValues } from '../components/formHelpers';
import { Notice } from '../components/Notice';
import { useAdminScope } from '../useAdminScope';

const FIELDS = ['code', 'name', 'material', 'npu_code'] as const;
type F = (typeof FIELDS)[number];
const FORM = 'product';

const EDIT_FIELDS = ['name', 'material', 'npu_code'] as const;
type E = (typeof EDIT_FIELDS)[number];

const editButtonId = (code: string) => `product-edit-${code}`;
const retireButtonId = (code: string) => `product-retire-${code}`;

function focusLater(id: string) {
  window.setTimeout(() => document.getElementById(id)?.focus(), 0);
}

/**
 * National product codes: every administrator sees them; central administrators add new ones,
 * change them and retire them (If-Match: the version from the list).
 */
export function ProductsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.sections.products.title'));
  const { central } = useAdminScope();
  const products = useProducts();
  const create = useCreateProduct();
  const update = useUpdateProduct();
  const retire = useRetireProduct();
  const [editingCode, setEditingCode] = useState<string | null>(null);
  const [retiring, setRetiring] = useState<ProductOut | null>(null);
  const { values, set, setValues } = useFormValues({ code: '', name: '', material: '', npu_code: '' });
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  // Followed up by contact tracing (Behandlingsansvar, Smittspårning).
  const [contactTracing, setContactTracing] = useState(false);
  const labels: Record<F, string> = {
    code: t('admin.products.code'),
    name: t('admin.products.name'),
    material: t('admin.products.material'),
    npu_code: t('admin.products.npu'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(FORM, f), client, server: create.error });

  const editing = editingCode ? products.data?.find((p) => p.code === editingCode) : undefined;

  const reloadAfterRetire = () => {
    retire.reset();
    setNotice(null);
    void products.refetch();
  };

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
      {
        code: values.code,
        name: values.name.trim(),
        material: values.material.trim(),
        npu_code: values.npu_code || null,
        contact_tracing: contactTracing,
      },
      {
        onSuccess: (p) => {
          setNotice(t('admin.products.created', { code: p.code }));
          setValues({ code: '', name: '', material: '', npu_code: '' });
          setContactTracing(false);
        },
      },
    );
  };

  return (
    <>
      <h1 id="products-heading" tabIndex={-1}>
        {t('admin.sections.products.title')}
      </h1>
      <Notice message={notice} />
      <ProblemAlert
        error={retire.error}
        conflictMessage={t('admin.products.retireConflict')}
        onReload={isStaleVersion(retire.error) ? reloadAfterRetire : undefined}
      />
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
              <th scope="col">{t('admin.products.contactTracing')}</th>
              <th scope="col">{t('admin.status')}</th>
              {central && <th scope="col">{t('admin.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {products.data.map((p) => (
              <tr key={p.code}>
                <td>{p.code}</td>
                <td>{p.name}</td>
                <td>{p.material}</td>
                <td>{p.npu_code ?? '–'}</td>
                <td>{p.contact_tracing ? t('admin.products.yes') : '–'}</td>
                <td>{p.retired ? <span className="tag tag--retired">{t('admin.decommissioned')}</span> : t('admin.active')}</td>
                {central && (
                  <td>
                    {p.retired ? (
                      '–'
                    ) : (
                      <div className="button-row button-row--compact">
                        <button
                          id={editButtonId(p.code)}
                          type="button"
                          className="button button--secondary button--small"
                          aria-label={t('admin.products.editLabel', { code: p.code })}
                          onClick={() => {
                            setNotice(null);
                            update.reset();
                            setEditingCode(p.code);
                          }}
                        >
                          {t('admin.products.edit')}
                        </button>
                        <button
                          id={retireButtonId(p.code)}
                          type="button"
                          className="button button--danger button--small"
                          aria-label={t('admin.products.retireLabel', { code: p.code })}
                          onClick={() => {
                            setNotice(null);
                            retire.reset();
                            setRetiring(p);
                          }}
                        >
                          {t('admin.products.retire')}
                        </button>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {central && editing && !editing.retired && (
        <ProductEditForm
          // A reloaded (newer) version starts the form afresh.
          key={`${editing.code}-${editing.version}`}
          product={editing}
          saving={update.isPending}
          serverError={update.error}
          onReload={() => {
            update.reset();
            void products.refetch();
          }}
          onCancel={() => {
            setEditingCode(null);
            update.reset();
            focusLater(editButtonId(editing.code));
          }}
          onSave={(body) => {
            setNotice(null);
            update.mutate(
              { code: editing.code, body, etag: `"${editing.version}"` },
              {
                onSuccess: (saved) => {
                  setNotice(t('admin.products.saved', { code: saved.code }));
                  setEditingCode(null);
                  focusLater(editButtonId(saved.code));
                },
              },
            );
          }}
        />
      )}
      {retiring && (
        <ConfirmDialog
          title={t('admin.products.retireTitle')}
          confirmLabel={t('admin.products.retire')}
          busy={retire.isPending}
          onCancel={() => {
            setRetiring(null);
            focusLater(retireButtonId(retiring.code));
          }}
          onConfirm={() => {
            const { code } = retiring;
            retire.mutate(
              { code, etag: `"${retiring.version}"` },
              {
                onSuccess: () => setNotice(t('admin.products.retired', { code })),
                onSettled: (_data, error) => {
                  setRetiring(null);
                  // Retired, the row has no buttons left: focus goes to the page heading.
                  focusLater(error ? retireButtonId(code) : 'products-heading');
                },
              },
            );
          }}
        >
          <p>{t('admin.products.retireConfirm', { code: retiring.code, name: retiring.name })}</p>
          <p>{t('admin.products.retireText')}</p>
        </ConfirmDialog>
      )}
      {central && !editing && (
        <>
          <h2>{t('admin.products.new')}</h2>
          <form onSubmit={submit} noValidate>
            <ErrorSummary items={errors.summary} />
            <ProblemAlert error={create.error} />
            <TextField id={fieldId(FORM, 'code')} label={labels.code} hint={t('admin.labs.codeHint')} helpKey="product.code" required size="small" value={values.code} onChange={(v) => set('code')(v.toUpperCase())} error={errors.byField.code} />
            <TextField id={fieldId(FORM, 'name')} label={labels.name} required value={values.name} onChange={set('name')} error={errors.byField.name} />
            <TextField id={fieldId(FORM, 'material')} label={labels.material} required value={values.material} onChange={set('material')} error={errors.byField.material} />
            <TextField id={fieldId(FORM, 'npu_code')} label={labels.npu_code} hint={t('admin.products.npuHint')} helpKey="product.npu_code" size="small" value={values.npu_code} onChange={(v) => set('npu_code')(v.toUpperCase())} error={errors.byField.npu_code} />
            <CheckboxField id={fieldId(FORM, 'contact_tracing')} label={t('admin.products.contactTracingLabel')} checked={contactTracing} onChange={setContactTracing} />
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              {t('admin.products.create')}
            </button>
          </form>
        </>
      )}
    </>
  );
}

interface EditProps {
  product: ProductOut;
  saving: boolean;
  serverError: unknown;
  onSave: (body: ProductUpdate) => void;
  onReload: () => void;
  onCancel: () => void;
}

/** Name, material and NPU code of a national product code (the code itself stays). */
function ProductEditForm({ product, saving, serverError, onSave, onReload, onCancel }: EditProps) {
  const { t } = useTranslation();
  const form = 'product-edit';
  const { values, set } = useFormValues({ name: product.name, material: product.material, npu_code: product.npu_code ?? '' });
  const [contactTracing, setContactTracing] = useState(product.contact_tracing ?? false);
  const [client, setClient] = useState<Partial<Record<E, string>>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const labels: Record<E, string> = {
    name: t('admin.products.name'),
    material: t('admin.products.material'),
    npu_code: t('admin.products.npu'),
  };
  const errors = formErrors({ fields: EDIT_FIELDS, labels, idOf: (f) => fieldId(form, f), client, server: serverError });

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<E, string>> = {};
    if (values.name.trim().length < 2) found.name = t('admin.required');
    if (values.material.trim().length < 2) found.material = t('admin.required');
    if (values.npu_code && !/^NPU\d{5}$/.test(values.npu_code)) found.npu_code = t('admin.products.npuInvalid');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    onSave({
      name: values.name.trim(),
      material: values.material.trim(),
      npu_code: values.npu_code || null,
      contact_tracing: contactTracing,
    });
  };

  return (
    <section aria-labelledby="product-edit-heading" className="panel">
      <h2 id="product-edit-heading" ref={heading} tabIndex={-1}>
        {t('admin.products.editTitle', { code: product.code })}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.summary} />
        <ProblemAlert error={serverError} onReload={isStaleVersion(serverError) ? onReload : undefined} />
        <TextField id={fieldId(form, 'name')} label={labels.name} required value={values.name} onChange={set('name')} error={errors.byField.name} />
        <TextField id={fieldId(form, 'material')} label={labels.material} required value={values.material} onChange={set('material')} error={errors.byField.material} />
        <TextField id={fieldId(form, 'npu_code')} label={labels.npu_code} hint={t('admin.products.npuHint')} helpKey="product.npu_code" size="small" value={values.npu_code} onChange={(v) => set('npu_code')(v.toUpperCase())} error={errors.byField.npu_code} />
        <CheckboxField id={fieldId(form, 'contact_tracing')} label={t('admin.products.contactTracingLabel')} checked={contactTracing} onChange={setContactTracing} />
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={saving}>
            {t('admin.products.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
