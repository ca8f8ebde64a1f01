import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PermissionOut } from '@shared/client/types.gen';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { ErrorSummary, SelectField, TextField, formErrors } from '@shared/forms';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { problemSlug } from '@shared/lib/problems';
import { hasStatus } from '../../../lib/problems';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDateTime } from '../../../lib/format';
import { useGrantPermission, usePermissions, useRevokePermission } from '../api/permissions';
import { HSA_ID, fieldId, useFormValues } from '../components/formHelpers';
import { Notice } from '../components/Notice';
import { useCareUnitOptions, useRegionOptions } from '../components/useOptions';
import { GRANTABLE_PERMISSIONS } from '../sections';

const FIELDS = ['staff_hsa_id', 'permission', 'care_unit_hsa_id', 'region_code'] as const;
type F = (typeof FIELDS)[number];
type Grantable = (typeof GRANTABLE_PERMISSIONS)[number];
const FORM = 'permission';

function scopeOf(permission: string): 'national' | 'region' | 'unit' {
  if (permission === 'operator' || permission === 'central_admin') return 'national';
  if (permission === 'region_admin') return 'region';
  return 'unit';
}

export function PermissionsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('admin.sections.permissions.title'));
  const permissions = usePermissions();
  const grant = useGrantPermission();
  const revoke = useRevokePermission();
  const units = useCareUnitOptions();
  const regions = useRegionOptions();
  const { values, set } = useFormValues({ staff_hsa_id: '', permission: '', care_unit_hsa_id: '', region_code: '' });
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ item: PermissionOut; opener: HTMLButtonElement } | null>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const permissionLabel = (p: string) => t(`permission.${p as Grantable}`, { defaultValue: p });

  const labels: Record<F, string> = {
    staff_hsa_id: t('admin.perm.staff'),
    permission: t('admin.perm.permission'),
    care_unit_hsa_id: t('admin.perm.careUnit'),
    region_code: t('admin.region'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(FORM, f), client, server: grant.error });
  const scope = values.permission ? scopeOf(values.permission) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const found: Partial<Record<F, string>> = {};
    if (!HSA_ID.test(values.staff_hsa_id.trim())) found.staff_hsa_id = t('admin.hsaIdInvalid');
    if (!values.permission) found.permission = t('admin.chooseOne');
    if (scope === 'unit' && !values.care_unit_hsa_id) found.care_unit_hsa_id = t('admin.chooseOne');
    if (scope === 'region' && !values.region_code) found.region_code = t('admin.chooseRegion');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    grant.mutate(
      {
        staff_hsa_id: values.staff_hsa_id.trim(),
        permission: values.permission,
        care_unit_hsa_id: scope === 'unit' ? values.care_unit_hsa_id : null,
        region_code: scope === 'region' ? values.region_code : null,
      },
      {
        onSuccess: (p) =>
          setNotice(t('admin.perm.granted', { permission: permissionLabel(p.permission), staff: p.holder_name ?? p.staff_hsa_id })),
      },
    );
  };

  return (
    <>
      <h1>{t('admin.sections.permissions.title')}</h1>
      <Notice message={notice} />
      <h2 ref={listHeading} tabIndex={-1}>
        {t('admin.perm.active')}
      </h2>
      <ProblemAlert error={revoke.error} />
      {permissions.isPending ? (
        <Loading />
      ) : permissions.isError ? (
        <ErrorAlert error={permissions.error} onRetry={() => void permissions.refetch()} />
      ) : permissions.data.length === 0 ? (
        <p>{t('admin.perm.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table table--dense">
            <caption className="visually-hidden">{t('admin.perm.active')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.perm.holder')}</th>
                <th scope="col">{labels.permission}</th>
                <th scope="col">{t('admin.perm.scope')}</th>
                <th scope="col">{t('admin.perm.grantedBy')}</th>
                <th scope="col">{t('admin.perm.grantedAt')}</th>
                <th scope="col">{t('admin.action')}</th>
              </tr>
            </thead>
            <tbody>
              {permissions.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <StaffName name={p.holder_name} hsaId={p.staff_hsa_id} />
                  </td>
                  <td>{permissionLabel(p.permission)}</td>
                  <td>{p.care_unit_hsa_id ?? (p.region_code ? t('admin.perm.regionScope', { region: p.region_code }) : t('admin.perm.national'))}</td>
                  <td>
                    <StaffName name={p.granted_by_name} hsaId={p.granted_by_hsa_id} />
                  </td>
                  <td>{formatDateTime(p.granted_at, i18n.language)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-label={t('admin.perm.revokeNamed', { permission: permissionLabel(p.permission), staff: p.holder_name ?? p.staff_hsa_id })}
                      onClick={(e) => {
                        revoke.reset();
                        setConfirming({ item: p, opener: e.currentTarget });
                      }}
                    >
                      {t('admin.perm.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('admin.perm.grantTitle')}</h2>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.summary} />
        <GrantRefusal error={grant.error} permission={values.permission} />
        <TextField id={fieldId(FORM, 'staff_hsa_id')} label={labels.staff_hsa_id} hint={t('admin.hsaIdHint')} helpKey="permission.staff_hsa_id" required value={values.staff_hsa_id} onChange={set('staff_hsa_id')} error={errors.byField.staff_hsa_id} />
        <SelectField
          id={fieldId(FORM, 'permission')}
          label={labels.permission}
          helpKey="permission.permission"
          required
          placeholder={t('admin.chooseOnePlaceholder')}
          options={GRANTABLE_PERMISSIONS.map((p) => ({ value: p, label: permissionLabel(p) }))}
          value={values.permission}
          onChange={set('permission')}
          error={errors.byField.permission}
        />
        {scope === 'unit' && (
          <SelectField id={fieldId(FORM, 'care_unit_hsa_id')} label={labels.care_unit_hsa_id} required placeholder={t('admin.chooseOnePlaceholder')} options={units} value={values.care_unit_hsa_id} onChange={set('care_unit_hsa_id')} error={errors.byField.care_unit_hsa_id} />
        )}
        {scope === 'region' && (
          <SelectField id={fieldId(FORM, 'region_code')} label={labels.region_code} required placeholder={t('admin.chooseRegion')} options={regions} value={values.region_code} onChange={set('region_code')} error={errors.byField.region_code} />
        )}
        <button type="submit" className="button button--primary" disabled={grant.isPending}>
          {t('admin.perm.grant')}
        </button>
      </form>

      {confirming && (
        <ConfirmDialog
          title={t('admin.perm.revokeTitle')}
          confirmLabel={t('admin.perm.revoke')}
          busy={revoke.isPending}
          onCancel={() => {
            const opener = confirming.opener;
            setConfirming(null);
            window.setTimeout(() => opener.focus(), 0);
          }}
          onConfirm={() =>
            revoke.mutate(confirming.item.id, {
              onSuccess: () => {
                setNotice(t('admin.perm.revoked'));
                window.setTimeout(() => listHeading.current?.focus(), 0);
              },
              onSettled: () => setConfirming(null),
            })
          }
        >
          <p>
            {t('admin.perm.revokeConfirm', {
              permission: permissionLabel(confirming.item.permission),
              staff: confirming.item.holder_name ?? confirming.item.staff_hsa_id,
            })}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The staff member's name (from HSA) with the HSA id under it; the id alone when HSA had no name. */
function StaffName({ name, hsaId }: { name: string | null; hsaId: string }) {
  if (!name) return <>{hsaId}</>;
  return (
    <>
      {name}
      <br />
      <span className="muted">{hsaId}</span>
    </>
  );
}

/** Permissions that open no patient data: the administrator roles. */
const WITHOUT_PATIENT_DATA = new Set(['unit_admin', 'region_admin', 'operator', 'central_admin']);

/**
 * Why a grant was refused, in Swedish: nobody grants themself a permission
 * (/problems/own-permission); permissions to patient-data modules (and export) are granted by
 * the region's administrators, not by a unit administrator (403).
 */
function GrantRefusal({ error, permission }: { error: unknown; permission: string }) {
  const { t } = useTranslation();
  let message: string | null = null;
  if (problemSlug(error) === 'own-permission') message = t('admin.perm.ownPermission');
  else if (hasStatus(error, 403) && permission && !WITHOUT_PATIENT_DATA.has(permission)) {
    message = t('admin.perm.patientDataByRegion');
  }
  if (!message) return <ProblemAlert error={error} />;
  return (
    <div className="alert alert--error" role="alert">
      <p>{message}</p>
    </div>
  );
}
