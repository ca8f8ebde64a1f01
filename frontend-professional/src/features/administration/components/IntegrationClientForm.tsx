import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientSettingsIn, UnitOut } from '@shared/client/types.gen';
import { CheckboxGroup, ErrorSummary, FieldSet, SelectField, TextField, formErrors } from '@shared/forms';
import type { Option } from '@shared/forms';
import { INTEGRATION_SCOPES } from '../api/integrationClients';
import type { IntegrationClient, IntegrationScope } from '../api/integrationClients';
import { useSamplingUnits } from '../api/samplingUnits';
import { useAdminScope } from '../useAdminScope';
import { fieldId, useFormValues } from './formHelpers';
import { useCareUnitOptions, useLaboratoryOptions, useRegionOptions } from './useOptions';

// `organisation` is the server's name for "no unit at all" (the three groups together).
const FIELDS = [
  'name',
  'region_code',
  'scopes',
  'organisation',
  'laboratory_codes',
  'sampling_unit_ids',
  'care_unit_hsa_ids',
  'certificate_thumbprint',
] as const;
type F = (typeof FIELDS)[number];

const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;
// i18next reads ':' as a namespace separator, so the scopes' texts are keyed with '_'.
const SCOPE_TEXT = {
  'orders:read': 'orders_read',
  'orders:write': 'orders_write',
  'results:write': 'results_write',
  'results:read': 'results_read',
} as const satisfies Record<IntegrationScope, string>;

interface Values {
  name: string;
  region_code: string;
  scopes: string[];
  laboratory_codes: string[];
  sampling_unit_ids: string[];
  care_unit_hsa_ids: string[];
  certificate_thumbprint: string;
}

interface Props {
  form: string;
  /** The client being changed; its region cannot change. Without it: a new client. */
  existing?: IntegrationClient;
  /** Read only (a retired client). */
  readOnly?: boolean;
  saving: boolean;
  serverError: unknown;
  submitLabel: string;
  /** The settings (the body of PUT) and the region (which only create sends). */
  onSave: (settings: ClientSettingsIn, regionCode: string) => void;
}

function valuesOf(client: IntegrationClient | undefined, defaultRegion: string): Values {
  return {
    name: client?.name ?? '',
    region_code: client?.region_code ?? defaultRegion,
    scopes: client?.scopes ?? [],
    laboratory_codes: client?.laboratories.map((u) => u.code) ?? [],
    sampling_unit_ids: client?.sampling_units.map((u) => u.id) ?? [],
    care_unit_hsa_ids: client?.care_units.map((u) => u.code) ?? [],
    certificate_thumbprint: client?.certificate_thumbprint ?? '',
  };
}

/** The units one may choose, plus those the client already has (retired, or not in the lists shown). */
function withCurrent(options: Option[], current: UnitOut[] | undefined, valueOf: (u: UnitOut) => string): Option[] {
  const known = new Set(options.map((o) => o.value));
  const missing = (current ?? [])
    .filter((u) => !known.has(valueOf(u)))
    .map((u) => ({ value: valueOf(u), label: `${u.name} (${u.code})` }));
  return [...options, ...missing];
}

function useSamplingUnitOptions(regionCode?: string): Option[] {
  const units = useSamplingUnits();
  return (units.data ?? [])
    .filter((u) => !u.retired && (!regionCode || u.region_code === regionCode))
    .map((u) => ({ value: u.id, label: `${u.name} (${u.hsa_id})` }));
}

/** The regions an administrator may create a client in: all for a national one, else their own. */
function useOwnRegionOptions(): Option[] {
  const scope = useAdminScope();
  const regions = useRegionOptions();
  return scope.national ? regions : regions.filter((r) => scope.regionCodes.includes(r.value));
}

export function IntegrationClientForm({ form, existing, readOnly, saving, serverError, submitLabel, onSave }: Props) {
  const { t } = useTranslation();
  const regions = useOwnRegionOptions();
  const scope = useAdminScope();
  const onlyRegion = !scope.national && scope.regionCodes.length === 1 ? scope.regionCodes[0]! : '';
  const { values, set } = useFormValues<Values>(valuesOf(existing, onlyRegion));
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const region = values.region_code || undefined;
  const regionOptions =
    existing && !regions.some((r) => r.value === existing.region_code)
      ? [{ value: existing.region_code, label: existing.region_code }, ...regions]
      : regions;
  const labs = withCurrent(useLaboratoryOptions(region), existing?.laboratories, (u) => u.code);
  const samplingUnits = withCurrent(useSamplingUnitOptions(region), existing?.sampling_units, (u) => u.id);
  const careUnits = withCurrent(useCareUnitOptions(region), existing?.care_units, (u) => u.code);

  const labels: Record<F, string> = {
    name: t('admin.ic.name'),
    region_code: t('admin.region'),
    scopes: t('admin.ic.scopes'),
    organisation: t('admin.ic.organisation'),
    laboratory_codes: t('admin.ic.laboratories'),
    sampling_unit_ids: t('admin.ic.samplingUnits'),
    care_unit_hsa_ids: t('admin.ic.careUnits'),
    certificate_thumbprint: t('admin.ic.thumbprint'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(form, f), client, server: serverError });
  const emptyText = region ? t('admin.ic.noUnits') : t('admin.su.chooseRegionFirst');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<F, string>> = {};
    if (values.name.trim().length < 2) found.name = t('admin.required');
    if (!values.region_code) found.region_code = t('admin.chooseRegion');
    if (values.scopes.length === 0) found.scopes = t('admin.ic.scopesRequired');
    const units = values.laboratory_codes.length + values.sampling_unit_ids.length + values.care_unit_hsa_ids.length;
    if (units === 0) found.organisation = t('admin.ic.organisationRequired');
    const thumbprint = values.certificate_thumbprint.trim();
    if (thumbprint && !THUMBPRINT.test(thumbprint)) found.certificate_thumbprint = t('admin.ic.thumbprintInvalid');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    onSave(
      {
        name: values.name.trim(),
        scopes: INTEGRATION_SCOPES.filter((s) => values.scopes.includes(s)),
        laboratory_codes: values.laboratory_codes,
        sampling_unit_ids: values.sampling_unit_ids,
        care_unit_hsa_ids: values.care_unit_hsa_ids,
        certificate_thumbprint: thumbprint || null,
      },
      values.region_code,
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors.summary} />
      <fieldset className="plain-fieldset" disabled={readOnly}>
        <TextField
          id={fieldId(form, 'name')}
          label={labels.name}
          hint={t('admin.ic.nameHint')}
          required
          size="large"
          value={values.name}
          onChange={set('name')}
          error={errors.byField.name}
        />
        <SelectField
          id={fieldId(form, 'region_code')}
          label={labels.region_code}
          required
          disabled={Boolean(existing)}
          placeholder={t('admin.chooseRegion')}
          options={regionOptions}
          value={values.region_code}
          onChange={(code) => {
            // Units of another region cannot be kept.
            set('region_code')(code);
            set('laboratory_codes')([]);
            set('sampling_unit_ids')([]);
            set('care_unit_hsa_ids')([]);
          }}
          error={errors.byField.region_code}
        />
        <CheckboxGroup
          id={fieldId(form, 'scopes')}
          legend={labels.scopes}
          hint={t('admin.ic.scopesHint')}
          options={INTEGRATION_SCOPES.map((s) => ({ value: s, label: t(`admin.ic.scope.${SCOPE_TEXT[s]}`) }))}
          values={values.scopes}
          onChange={set('scopes')}
          error={errors.byField.scopes}
        />
        <FieldSet
          id={fieldId(form, 'organisation')}
          legend={labels.organisation}
          hint={t('admin.ic.organisationHint')}
          error={errors.byField.organisation}
        >
          <CheckboxGroup
            id={fieldId(form, 'laboratory_codes')}
            legend={labels.laboratory_codes}
            options={labs}
            values={values.laboratory_codes}
            onChange={set('laboratory_codes')}
            error={errors.byField.laboratory_codes}
            emptyText={emptyText}
          />
          <CheckboxGroup
            id={fieldId(form, 'sampling_unit_ids')}
            legend={labels.sampling_unit_ids}
            options={samplingUnits}
            values={values.sampling_unit_ids}
            onChange={set('sampling_unit_ids')}
            error={errors.byField.sampling_unit_ids}
            emptyText={emptyText}
          />
          <CheckboxGroup
            id={fieldId(form, 'care_unit_hsa_ids')}
            legend={labels.care_unit_hsa_ids}
            options={careUnits}
            values={values.care_unit_hsa_ids}
            onChange={set('care_unit_hsa_ids')}
            error={errors.byField.care_unit_hsa_ids}
            emptyText={emptyText}
          />
        </FieldSet>
        <TextField
          id={fieldId(form, 'certificate_thumbprint')}
          label={labels.certificate_thumbprint}
          hint={t('admin.ic.thumbprintHint')}
          optional
          size="large"
          spellCheck={false}
          autoComplete="off"
          value={values.certificate_thumbprint}
          onChange={set('certificate_thumbprint')}
          error={errors.byField.certificate_thumbprint}
        />
      </fieldset>
      {!readOnly && (
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? t('admin.saving') : submitLabel}
        </button>
      )}
    </form>
  );
}
