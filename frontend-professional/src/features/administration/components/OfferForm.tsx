import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfferIn, QuestionIo } from '@shared/client/types.gen';
import { CheckboxField, CheckboxGroup, ErrorSummary, FieldSet, SelectField, TextAreaField, TextField, formErrors } from '@shared/forms';
import { INSIGHTS, SAMPLING_METHODS, VISIBILITIES } from '../sections';
import { DAY, fieldId, isInteger, numberOrNull, useFormValues } from './formHelpers';
import { useCareUnitOptions, useProductOptions, useRegionOptions } from './useOptions';

const FIELDS = [
  'name',
  'instructions',
  'region_code',
  'sampling_method',
  'visibility',
  'products',
  'validity_days',
  'result_care_unit_hsa_id',
  'min_age',
  'max_age',
  'sex',
  'usage_limit',
  'usage_period_days',
  'active_from',
  'active_until',
  'asks.delivery_address',
  'asks.questions',
  'asks',
  'assigning_units',
  'insight_texts',
] as const;
type F = (typeof FIELDS)[number];

interface Values {
  name: string;
  instructions: string;
  region_code: string;
  sampling_method: string;
  visibility: string;
  products: string[];
  validity_days: string;
  result_care_unit_hsa_id: string;
  min_age: string;
  max_age: string;
  sex: string;
  usage_limit: string;
  usage_period_days: string;
  active_from: string;
  active_until: string;
  contact_details: boolean;
  delivery_address: boolean;
  order_key: boolean;
  sampling_datetime: boolean;
  questions: QuestionIo[];
  assigning_units: string[];
  /** The citizen's text per insight for this offer's results; blank: the default text. */
  insight_texts: Record<string, string>;
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function toValues(offer?: OfferIn): Values {
  return {
    name: offer?.name ?? '',
    instructions: offer?.instructions ?? '',
    region_code: offer?.region_code ?? '',
    sampling_method: offer?.sampling_method ?? '',
    visibility: offer?.visibility ?? '',
    products: offer?.products ?? [],
    validity_days: text(offer?.validity_days ?? 90),
    result_care_unit_hsa_id: offer?.result_care_unit_hsa_id ?? '',
    min_age: text(offer?.min_age),
    max_age: text(offer?.max_age),
    sex: offer?.sex ?? '',
    usage_limit: text(offer?.usage_limit),
    usage_period_days: text(offer?.usage_period_days),
    active_from: offer?.active_from ?? '',
    active_until: offer?.active_until ?? '',
    contact_details: offer?.asks?.contact_details ?? true,
    delivery_address: offer?.asks?.delivery_address ?? false,
    order_key: offer?.asks?.order_key ?? false,
    sampling_datetime: offer?.asks?.sampling_datetime ?? false,
    questions: offer?.asks?.questions ?? [],
    assigning_units: offer?.assigning_units ?? [],
    insight_texts: { ...(offer?.insight_texts ?? {}) },
  };
}

interface Props {
  form: string;
  initial?: OfferIn;
  existing?: boolean;
  saving: boolean;
  serverError: unknown;
  submitLabel: string;
  onSave: (body: OfferIn) => void;
}

/** The whole definition of an offer (erbjudande). Saving an existing offer makes a new version. */
export function OfferForm({ form, initial, existing, saving, serverError, submitLabel, onSave }: Props) {
  const { t } = useTranslation();
  const { values, set } = useFormValues<Values>(toValues(initial));
  const regions = useRegionOptions();
  const products = useProductOptions();
  const careUnits = useCareUnitOptions(values.region_code || undefined);
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const id = (f: string) => fieldId(form, f);

  const labels: Record<F, string> = {
    name: t('admin.offers.name'),
    instructions: t('admin.offers.instructions'),
    region_code: t('admin.region'),
    sampling_method: t('admin.offers.samplingMethod'),
    visibility: t('admin.offers.visibility'),
    products: t('admin.offers.products'),
    validity_days: t('admin.offers.validityDays'),
    result_care_unit_hsa_id: t('admin.offers.resultUnit'),
    min_age: t('admin.offers.minAge'),
    max_age: t('admin.offers.maxAge'),
    sex: t('admin.offers.sex'),
    usage_limit: t('admin.offers.usageLimit'),
    usage_period_days: t('admin.offers.usagePeriod'),
    active_from: t('admin.offers.activeFrom'),
    active_until: t('admin.offers.activeUntil'),
    'asks.delivery_address': t('admin.offers.askDeliveryAddress'),
    'asks.questions': t('admin.offers.questions'),
    asks: t('admin.offers.asks'),
    assigning_units: t('admin.offers.assigningUnits'),
    insight_texts: t('admin.offers.insightTexts'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => id(f), client, server: serverError });

  const setQuestion = (index: number, patch: Partial<QuestionIo>) =>
    set('questions')(values.questions.map((q, i) => (i === index ? { ...q, ...patch } : q)));

  const validate = (): Partial<Record<F, string>> => {
    const found: Partial<Record<F, string>> = {};
    if (values.name.trim().length < 2) found.name = t('admin.required');
    if (!values.instructions.trim()) found.instructions = t('admin.required');
    if (!values.region_code) found.region_code = t('admin.chooseRegion');
    if (!values.sampling_method) found.sampling_method = t('admin.chooseOne');
    if (!values.visibility) found.visibility = t('admin.chooseOne');
    if (values.products.length === 0) found.products = t('admin.offers.productsRequired');
    if (!isInteger(values.validity_days, 1, 730)) found.validity_days = t('admin.between', { min: 1, max: 730 });
    if (!values.result_care_unit_hsa_id) found.result_care_unit_hsa_id = t('admin.chooseOne');
    if (values.min_age && !isInteger(values.min_age, 0, 120)) found.min_age = t('admin.between', { min: 0, max: 120 });
    if (values.max_age && !isInteger(values.max_age, 0, 120)) found.max_age = t('admin.between', { min: 0, max: 120 });
    else if (values.min_age && values.max_age && Number(values.max_age) < Number(values.min_age))
      found.max_age = t('admin.offers.maxBelowMin');
    if (values.usage_limit && !isInteger(values.usage_limit, 1, 1000)) found.usage_limit = t('admin.between', { min: 1, max: 1000 });
    if (values.usage_period_days && !isInteger(values.usage_period_days, 1, 3650))
      found.usage_period_days = t('admin.between', { min: 1, max: 3650 });
    else if (Boolean(values.usage_limit) !== Boolean(values.usage_period_days))
      found.usage_period_days = t('admin.offers.usageBoth');
    if (values.active_from && !DAY.test(values.active_from)) found.active_from = t('admin.dateRequired');
    if (values.active_until && !DAY.test(values.active_until)) found.active_until = t('admin.dateRequired');
    else if (values.active_from && values.active_until && values.active_until < values.active_from)
      found.active_until = t('admin.offers.untilBeforeFrom');
    if (values.sampling_method === 'home_kit' && !values.delivery_address)
      found['asks.delivery_address'] = t('admin.offers.homeKitNeedsAddress');
    if (values.questions.some((q) => !/^[A-Za-z0-9_-]{1,40}$/.test(q.id) || q.text.trim().length < 2))
      found['asks.questions'] = t('admin.offers.questionsInvalid');
    if (values.visibility === 'personal' && values.assigning_units.length === 0)
      found.assigning_units = t('admin.offers.assigningRequired');
    return found;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setClient(found);
    if (Object.keys(found).length > 0) return;
    onSave({
      name: values.name.trim(),
      instructions: values.instructions,
      region_code: values.region_code,
      sampling_method: values.sampling_method as OfferIn['sampling_method'],
      visibility: values.visibility as OfferIn['visibility'],
      products: values.products,
      validity_days: Number(values.validity_days),
      result_care_unit_hsa_id: values.result_care_unit_hsa_id,
      min_age: numberOrNull(values.min_age),
      max_age: numberOrNull(values.max_age),
      sex: values.sex === 'F' || values.sex === 'M' ? values.sex : null,
      usage_limit: numberOrNull(values.usage_limit),
      usage_period_days: numberOrNull(values.usage_period_days),
      active_from: values.active_from || null,
      active_until: values.active_until || null,
      asks: {
        contact_details: values.contact_details,
        delivery_address: values.delivery_address,
        order_key: values.order_key,
        sampling_datetime: values.sampling_datetime,
        questions: values.questions.map((q) => ({ ...q, text: q.text.trim() })),
      },
      assigning_units: values.visibility === 'personal' ? values.assigning_units : [],
      insight_texts: Object.fromEntries(
        Object.entries(values.insight_texts)
          .map(([insight, value]) => [insight, value.trim()])
          .filter(([, value]) => value),
      ),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors.summary} />
      <TextField id={id('name')} label={labels.name} helpKey="offer.name" required value={values.name} onChange={set('name')} error={errors.byField.name} size="large" />
      <TextAreaField
        id={id('instructions')}
        label={labels.instructions}
        hint={t('admin.offers.instructionsHint')}
        helpKey="offer.instructions"
        required
        rows={8}
        value={values.instructions}
        onChange={set('instructions')}
        error={errors.byField.instructions}
      />
      <SelectField
        id={id('region_code')}
        label={labels.region_code}
        required
        disabled={existing}
        placeholder={t('admin.chooseRegion')}
        options={regions}
        value={values.region_code}
        onChange={set('region_code')}
        error={errors.byField.region_code}
      />
      <SelectField
        id={id('sampling_method')}
        label={labels.sampling_method}
        helpKey="offer.sampling_method"
        required
        placeholder={t('admin.chooseOnePlaceholder')}
        options={SAMPLING_METHODS.map((m) => ({ value: m, label: t(`samplingMethod.${m}`) }))}
        value={values.sampling_method}
        onChange={set('sampling_method')}
        error={errors.byField.sampling_method}
      />
      <SelectField
        id={id('visibility')}
        label={labels.visibility}
        helpKey="offer.visibility"
        required
        placeholder={t('admin.chooseOnePlaceholder')}
        options={VISIBILITIES.map((v) => ({ value: v, label: t(`visibility.${v}`) }))}
        value={values.visibility}
        onChange={set('visibility')}
        error={errors.byField.visibility}
      />
      <CheckboxGroup
        id={id('products')}
        legend={labels.products}
        helpKey="offer.products"
        options={products}
        values={values.products}
        onChange={set('products')}
        error={errors.byField.products}
      />
      <TextField
        id={id('validity_days')}
        type="number"
        min={1}
        max={730}
        size="small"
        label={labels.validity_days}
        helpKey="offer.validity_days"
        required
        value={values.validity_days}
        onChange={set('validity_days')}
        error={errors.byField.validity_days}
      />
      <SelectField
        id={id('result_care_unit_hsa_id')}
        label={labels.result_care_unit_hsa_id}
        helpKey="offer.result_care_unit_hsa_id"
        required
        placeholder={values.region_code ? t('admin.chooseOnePlaceholder') : t('admin.su.chooseRegionFirst')}
        options={careUnits}
        value={values.result_care_unit_hsa_id}
        onChange={set('result_care_unit_hsa_id')}
        error={errors.byField.result_care_unit_hsa_id}
      />
      <FieldSet id={id('limits')} legend={t('admin.offers.limits')} helpKey="offer.age">
        <div className="row-fields">
          <TextField id={id('min_age')} type="number" min={0} max={120} size="small" label={labels.min_age} value={values.min_age} onChange={set('min_age')} error={errors.byField.min_age} />
          <TextField id={id('max_age')} type="number" min={0} max={120} size="small" label={labels.max_age} value={values.max_age} onChange={set('max_age')} error={errors.byField.max_age} />
          <SelectField
            id={id('sex')}
            label={labels.sex}
            helpKey="offer.sex"
            options={[
              { value: '', label: t('admin.offers.sexAny') },
              { value: 'F', label: t('admin.offers.sexF') },
              { value: 'M', label: t('admin.offers.sexM') },
            ]}
            value={values.sex}
            onChange={set('sex')}
            error={errors.byField.sex}
          />
        </div>
        <div className="row-fields">
          <TextField id={id('usage_limit')} type="number" min={1} size="small" label={labels.usage_limit} helpKey="offer.usage_limit" value={values.usage_limit} onChange={set('usage_limit')} error={errors.byField.usage_limit} />
          <TextField id={id('usage_period_days')} type="number" min={1} size="small" label={labels.usage_period_days} value={values.usage_period_days} onChange={set('usage_period_days')} error={errors.byField.usage_period_days} />
        </div>
        <div className="row-fields">
          <TextField id={id('active_from')} type="date" label={labels.active_from} helpKey="offer.active_from" value={values.active_from} onChange={set('active_from')} error={errors.byField.active_from} />
          <TextField id={id('active_until')} type="date" label={labels.active_until} value={values.active_until} onChange={set('active_until')} error={errors.byField.active_until} />
        </div>
      </FieldSet>
      <FieldSet id={id('asks')} legend={labels.asks} helpKey="offer.asks" error={errors.byField.asks}>
        <CheckboxField id={id('asks-contact_details')} label={t('admin.offers.askContact')} checked={values.contact_details} onChange={set('contact_details')} />
        <CheckboxField
          id={id('asks.delivery_address')}
          label={labels['asks.delivery_address']}
          checked={values.delivery_address}
          onChange={set('delivery_address')}
          error={errors.byField['asks.delivery_address']}
        />
        <CheckboxField id={id('asks-order_key')} label={t('admin.offers.askOrderKey')} checked={values.order_key} onChange={set('order_key')} />
        <CheckboxField id={id('asks-sampling_datetime')} label={t('admin.offers.askSamplingTime')} checked={values.sampling_datetime} onChange={set('sampling_datetime')} />
        <FieldSet id={id('asks.questions')} legend={labels['asks.questions']} helpKey="offer.questions" error={errors.byField['asks.questions']}>
          {values.questions.map((question, index) => {
            const row = `${form}-question-${index}`;
            return (
              <fieldset key={index} className="row-fieldset">
                <legend>{t('admin.offers.questionRow', { n: index + 1 })}</legend>
                <div className="row-fields">
                  <TextField id={`${row}-id`} label={t('admin.offers.questionId')} size="small" value={question.id} onChange={(v) => setQuestion(index, { id: v })} />
                  <TextField id={`${row}-text`} label={t('admin.offers.questionText')} size="large" value={question.text} onChange={(v) => setQuestion(index, { text: v })} />
                  <SelectField
                    id={`${row}-type`}
                    label={t('admin.offers.questionType')}
                    options={[
                      { value: 'yes_no', label: t('admin.offers.questionYesNo') },
                      { value: 'text', label: t('admin.offers.questionFreeText') },
                    ]}
                    value={question.type}
                    onChange={(v) => setQuestion(index, { type: v as QuestionIo['type'] })}
                  />
                </div>
                <CheckboxField id={`${row}-required`} label={t('admin.offers.questionRequired')} checked={question.required} onChange={(v) => setQuestion(index, { required: v })} />
                <button type="button" className="button button--link" onClick={() => set('questions')(values.questions.filter((_, i) => i !== index))}>
                  {t('admin.offers.removeQuestion', { n: index + 1 })}
                </button>
              </fieldset>
            );
          })}
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => set('questions')([...values.questions, { id: `q${values.questions.length + 1}`, text: '', type: 'yes_no', required: true }])}
          >
            {t('admin.offers.addQuestion')}
          </button>
        </FieldSet>
      </FieldSet>
      {values.visibility === 'personal' && (
        <CheckboxGroup
          id={id('assigning_units')}
          legend={labels.assigning_units}
          hint={t('admin.offers.assigningHint')}
          helpKey="offer.assigning_units"
          options={careUnits}
          values={values.assigning_units}
          onChange={set('assigning_units')}
          error={errors.byField.assigning_units}
          emptyText={t('admin.su.chooseRegionFirst')}
        />
      )}
      <FieldSet
        id={id('insight_texts')}
        legend={labels.insight_texts}
        hint={t('admin.offers.insightTextsHint')}
        helpKey="offer.insight_texts"
        error={errors.byField.insight_texts}
      >
        {INSIGHTS.map((insight) => (
          <TextAreaField
            key={insight}
            id={id(`insight_texts-${insight}`)}
            label={t('admin.offers.insightText', { insight: t(`insight.${insight}`) })}
            optional
            rows={2}
            maxLength={1000}
            value={values.insight_texts[insight] ?? ''}
            onChange={(value) => set('insight_texts')({ ...values.insight_texts, [insight]: value })}
          />
        ))}
      </FieldSet>
      <button type="submit" className="button button--primary" disabled={saving}>
        {saving ? t('admin.saving') : submitLabel}
      </button>
    </form>
  );
}
