import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CareUnitCreate, CareUnitOut, CareUnitUpdate } from '@shared/client/types.gen';
import { CheckboxGroup, ErrorSummary, SelectField, TextField, formErrors } from '@shared/forms';
import { useOffers } from '../api/offers';
import { INSIGHTS } from '../sections';
import { useAdminScope } from '../useAdminScope';
import { HSA_ID, fieldId, useFormValues } from './formHelpers';
import { useRegionOptions } from './useOptions';

const FIELDS = [
  'hsa_id',
  'name',
  'region_code',
  'care_giver_hsa_id',
  'care_giver_name',
  'result_recipient_hsa_id',
  'worklist_insights',
  'assignable_offers',
] as const;
type F = (typeof FIELDS)[number];
type Insight = (typeof INSIGHTS)[number];

type Props =
  | { mode: 'create'; form: string; saving: boolean; serverError: unknown; onCreate: (body: CareUnitCreate) => void }
  | { mode: 'edit'; form: string; unit: CareUnitOut; saving: boolean; serverError: unknown; onUpdate: (body: CareUnitUpdate) => void };

/** A care unit: its names, result recipient, worklist configuration and assignable offers. */
export function CareUnitForm(props: Props) {
  const { t } = useTranslation();
  const unit = props.mode === 'edit' ? props.unit : undefined;
  const { values, set } = useFormValues({
    hsa_id: unit?.hsa_id ?? '',
    name: unit?.name ?? '',
    region_code: unit?.region_code ?? '',
    care_giver_hsa_id: unit?.care_giver_hsa_id ?? '',
    care_giver_name: unit?.care_giver_name ?? '',
    result_recipient_hsa_id: unit?.result_recipient_hsa_id ?? '',
    worklist_insights: (unit?.worklist_insights ?? []) as string[],
    assignable_offers: unit?.assignable_offers ?? [],
  });
  const regions = useRegionOptions();
  const scope = useAdminScope();
  // Only the region's administrators (and national ones) manage offers, so only they choose
  // which of them the unit may assign; a unit administrator is shown the choice, not asked.
  const choosesOffers = scope.national || scope.regionCodes.includes(values.region_code);
  const offers = useOffers({ enabled: props.mode === 'edit' && choosesOffers });
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const id = (f: string) => fieldId(props.form, f);

  const labels: Record<F, string> = {
    hsa_id: t('admin.hsaId'),
    name: t('admin.cu.name'),
    region_code: t('admin.region'),
    care_giver_hsa_id: t('admin.cu.careGiverHsaId'),
    care_giver_name: t('admin.cu.careGiver'),
    result_recipient_hsa_id: t('admin.cu.resultRecipient'),
    worklist_insights: t('admin.cu.worklistInsights'),
    assignable_offers: t('admin.cu.assignableOffers'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: id, client, server: props.serverError });
  const personalOffers = (offers.data ?? [])
    .filter((o) => o.visibility === 'personal' && !o.retired && o.region_code === values.region_code)
    .map((o) => ({ value: o.catalog_id, label: `${o.name} (${o.catalog_id})` }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<F, string>> = {};
    if (props.mode === 'create') {
      if (!HSA_ID.test(values.hsa_id.trim())) found.hsa_id = t('admin.hsaIdInvalid');
      if (!values.region_code) found.region_code = t('admin.chooseRegion');
      if (!HSA_ID.test(values.care_giver_hsa_id.trim())) found.care_giver_hsa_id = t('admin.hsaIdInvalid');
    }
    if (values.name.trim().length < 2) found.name = t('admin.required');
    if (values.care_giver_name.trim().length < 2) found.care_giver_name = t('admin.required');
    if (values.result_recipient_hsa_id.trim() && !HSA_ID.test(values.result_recipient_hsa_id.trim()))
      found.result_recipient_hsa_id = t('admin.hsaIdInvalid');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    const common = {
      name: values.name.trim(),
      care_giver_name: values.care_giver_name.trim(),
      result_recipient_hsa_id: values.result_recipient_hsa_id.trim() || null,
      worklist_insights: values.worklist_insights as Insight[],
    };
    if (props.mode === 'create') {
      props.onCreate({
        ...common,
        hsa_id: values.hsa_id.trim(),
        region_code: values.region_code,
        care_giver_hsa_id: values.care_giver_hsa_id.trim(),
      });
    } else {
      props.onUpdate({ ...common, assignable_offers: values.assignable_offers });
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors.summary} />
      <TextField id={id('hsa_id')} label={labels.hsa_id} hint={t('admin.hsaIdHint')} helpKey="care_unit.hsa_id" required readOnly={props.mode === 'edit'} value={values.hsa_id} onChange={set('hsa_id')} error={errors.byField.hsa_id} />
      <TextField id={id('name')} label={labels.name} helpKey="care_unit.name" required value={values.name} onChange={set('name')} error={errors.byField.name} />
      <SelectField
        id={id('region_code')}
        label={labels.region_code}
        required
        disabled={props.mode === 'edit'}
        placeholder={t('admin.chooseRegion')}
        options={regions}
        value={values.region_code}
        onChange={set('region_code')}
        error={errors.byField.region_code}
      />
      <TextField id={id('care_giver_hsa_id')} label={labels.care_giver_hsa_id} helpKey="care_unit.care_giver_hsa_id" required readOnly={props.mode === 'edit'} value={values.care_giver_hsa_id} onChange={set('care_giver_hsa_id')} error={errors.byField.care_giver_hsa_id} />
      <TextField id={id('care_giver_name')} label={labels.care_giver_name} helpKey="care_unit.care_giver_name" required value={values.care_giver_name} onChange={set('care_giver_name')} error={errors.byField.care_giver_name} />
      <TextField
        id={id('result_recipient_hsa_id')}
        label={labels.result_recipient_hsa_id}
        hint={t('admin.cu.resultRecipientHint')}
        helpKey="care_unit.result_recipient_hsa_id"
        value={values.result_recipient_hsa_id}
        onChange={set('result_recipient_hsa_id')}
        error={errors.byField.result_recipient_hsa_id}
      />
      <CheckboxGroup
        id={id('worklist_insights')}
        legend={labels.worklist_insights}
        helpKey="care_unit.worklist_insights"
        options={INSIGHTS.map((i) => ({ value: i, label: t(`insight.${i}`) }))}
        values={values.worklist_insights}
        onChange={set('worklist_insights')}
        error={errors.byField.worklist_insights}
      />
      {props.mode === 'edit' && !choosesOffers && (
        <section aria-labelledby={id('assignable_offers')} className="field">
          <h2 id={id('assignable_offers')} className="field__label">
            {labels.assignable_offers}
          </h2>
          <p>{t('admin.cu.offersChosenByRegion')}</p>
          {values.assignable_offers.length === 0 ? (
            <p className="muted">{t('admin.cu.noAssignableOffers')}</p>
          ) : (
            <ul>
              {values.assignable_offers.map((catalogId) => (
                <li key={catalogId}>{t('admin.cu.catalogIdItem', { catalogId })}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      {props.mode === 'edit' && choosesOffers && (
        <CheckboxGroup
          id={id('assignable_offers')}
          legend={labels.assignable_offers}
          hint={t('admin.cu.assignableHint')}
          helpKey="care_unit.assignable_offers"
          options={personalOffers}
          values={values.assignable_offers}
          onChange={set('assignable_offers')}
          error={errors.byField.assignable_offers}
          emptyText={t('admin.cu.noPersonalOffers')}
        />
      )}
      <button type="submit" className="button button--primary" disabled={props.saving}>
        {props.saving ? t('admin.saving') : props.mode === 'create' ? t('admin.cu.create') : t('admin.save')}
      </button>
    </form>
  );
}
