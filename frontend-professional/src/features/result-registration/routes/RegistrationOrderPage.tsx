import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { RegisterValueIn, RegistrationOrderOut, RegistrationTemplateOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { CheckboxField, ErrorSummary, Field, FieldSet, SelectField, TextAreaField, TextField, formErrors } from '@shared/forms';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '@shared/lib/problems';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDate, formatDateTime } from '../../../lib/format';
import { statusKey } from '../../../lib/orderStatus';
import { hasStatus, isStaleVersion } from '../../../lib/problems';
import { resultRegistrationKeys } from '../../../lib/queryKeys';
import { newIdempotencyKey, todayInSweden, useRegisterResult, useRegistrationOrder } from '../api/resultRegistration';
import { ResultHistory } from '../components/ResultHistory';
import { useRegistrationContext } from './ResultRegistrationLayout';

const REGISTRABLE = new Set(['ordered', 'handled', 'sampled', 'answered']);
const TEMPLATE_ID = 'registration-template';
const DATE_ID = 'registration-sampling-date';
const VALUES_ID = 'registration-values';
const COMMENT_ID = 'registration-comment';
const FIELDS = ['template_id', 'sampling_date', 'values', 'comment'] as const;
type Insight = NonNullable<RegisterValueIn['insight']>;
const INSIGHTS = ['positive', 'negative', 'technical_error', 'answer'] as const satisfies readonly Insight[];
type F = (typeof FIELDS)[number];

/** An order whose results this unit registers: its results (all versions) and Skicka svar. */
export function RegistrationOrderPage() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation();
  const { careUnitHsaId } = useRegistrationContext();
  const order = useRegistrationOrder(careUnitHsaId, orderId);
  const back = (
    <p className="breadcrumb">
      <Link to="/svarsregistrering">{t('resultRegistration.backToSearch')}</Link>
    </p>
  );
  if (order.isPending) return <Loading />;
  if (order.isError) {
    return (
      <>
        {back}
        {hasStatus(order.error, 404) ? (
          <div className="alert alert--error" role="alert">
            <p>{t('resultRegistration.order.notFound')}</p>
          </div>
        ) : (
          <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />
        )}
      </>
    );
  }
  return (
    <>
      {back}
      <OpenedOrder opened={order.data.opened} etag={order.data.etag} careUnitHsaId={careUnitHsaId} />
    </>
  );
}

function OpenedOrder({ opened, etag, careUnitHsaId }: { opened: RegistrationOrderOut; etag: string | undefined; careUnitHsaId: string }) {
  const { t, i18n } = useTranslation();
  const [sent, setSent] = useState<{ corrected: boolean; count: number } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const { order, patient } = opened;
  const answered = opened.lines.some((line) => line.result !== null);
  const registrable = REGISTRABLE.has(order.status);
  return (
    <>
      <h2>{t('resultRegistration.order.heading', { offer: order.offer_name })}</h2>
      <dl className="details-list details-list--pairs">
        <dt>{t('resultRegistration.order.patient')}</dt>
        <dd>
          {patient.name ?? t('resultRegistration.unknownName')}, {patient.personnummer}
        </dd>
        <dt>{t('resultRegistration.columns.rid')}</dt>
        <dd className="mono">{order.rid}</dd>
        <dt>{t('resultRegistration.columns.status')}</dt>
        <dd>{t(statusKey(order.status))}</dd>
        <dt>{t('resultRegistration.columns.ordered')}</dt>
        <dd>{formatDateTime(order.created_at, i18n.language)}</dd>
        <dt>{t('resultRegistration.order.laboratory')}</dt>
        <dd>
          {order.laboratory_name ? `${order.laboratory_name} (${order.laboratory_code})` : t('resultRegistration.order.noLaboratory')}
        </dd>
        {order.sampled_at && (
          <>
            <dt>{t('resultRegistration.order.sampledAt')}</dt>
            <dd>{formatDateTime(order.sampled_at, i18n.language)}</dd>
          </>
        )}
      </dl>
      <div aria-live="polite" className="live-region">
        {sent && (
          <div className="alert alert--success">
            <p>
              {sent.corrected
                ? t('resultRegistration.form.corrected', { count: sent.count })
                : t('resultRegistration.form.sent', { count: sent.count })}
            </p>
          </div>
        )}
      </div>
      <ResultHistory lines={opened.lines} />
      {registrable ? (
        <RegistrationForm
          // After each Skicka svar the form starts afresh (a correction chooses a template again).
          key={formKey}
          opened={opened}
          etag={etag}
          careUnitHsaId={careUnitHsaId}
          correcting={answered}
          onSent={(corrected, count) => {
            setSent({ corrected, count });
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <div className="alert" role="note">
          <p>{t('resultRegistration.order.notRegistrable', { status: t(statusKey(order.status)) })}</p>
        </div>
      )}
    </>
  );
}

interface LineInput {
  include: boolean;
  value: string;
  unit: string;
  reference_range: string;
  /** The line's own insight; '' for none. */
  insight: Insight | '';
}

/**
 * What a template prefills on each line, by position (a template of one analysis prefills every
 * line; domain.result_registration.prefill): the analysis's value, and its insight, else the
 * template's (default_insights). Staff may change both per line.
 */
function prefilled(template: RegistrationTemplateOut | undefined, lineCount: number): LineInput[] {
  const analyses = template?.analyses ?? [];
  return Array.from({ length: lineCount }, (_, index) => {
    const analysis = analyses.length === 1 ? analyses[0] : analyses[index];
    return {
      include: true,
      value: analysis?.value ?? '',
      unit: analysis?.unit ?? '',
      reference_range: analysis?.reference_range ?? '',
      insight: analysis?.insight ?? template?.insight ?? '',
    };
  });
}

interface CurrentState {
  sampling_date?: string;
  order_status?: string;
}

function RegistrationForm({
  opened,
  etag,
  careUnitHsaId,
  correcting,
  onSent,
}: {
  opened: RegistrationOrderOut;
  etag: string | undefined;
  careUnitHsaId: string;
  correcting: boolean;
  onSent: (corrected: boolean, count: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const orderId = opened.order.id;
  const register = useRegisterResult(careUnitHsaId, orderId);
  const locked = opened.sampling_date_locked;
  const [templateId, setTemplateId] = useState('');
  const [samplingDate, setSamplingDate] = useState(locked ?? opened.suggested_sampling_date ?? '');
  const [lines, setLines] = useState<LineInput[]>(() => prefilled(undefined, opened.lines.length));
  const [comment, setComment] = useState('');
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [attempt, setAttempt] = useState(0);
  // One key per form shown: a second click, or a retry after a lost answer, registers nothing again.
  const idempotencyKey = useRef(newIdempotencyKey());
  const template = opened.templates.find((tpl) => tpl.id === templateId);
  const today = todayInSweden();

  const labels: Record<F, string> = {
    template_id: t('resultRegistration.form.template'),
    sampling_date: t('resultRegistration.form.samplingDate'),
    values: t('resultRegistration.form.valuesLegend'),
    comment: t('resultRegistration.form.comment'),
  };
  const errors = formErrors({
    fields: FIELDS,
    labels,
    idOf: (field) => ({ template_id: TEMPLATE_ID, sampling_date: DATE_ID, values: VALUES_ID, comment: COMMENT_ID })[field],
    client,
    server: register.error,
  });

  const chooseTemplate = (id: string) => {
    setTemplateId(id);
    const chosen = opened.templates.find((tpl) => tpl.id === id);
    setLines(prefilled(chosen, opened.lines.length));
    setComment(chosen?.default_comment ?? '');
  };
  const updateLine = (index: number, patch: Partial<LineInput>) =>
    setLines(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const found: Partial<Record<F, string>> = {};
    if (!templateId) found.template_id = t('resultRegistration.form.templateRequired');
    if (!samplingDate) found.sampling_date = t('resultRegistration.form.dateRequired');
    else if (samplingDate > today) found.sampling_date = t('resultRegistration.form.dateFuture');
    const values: RegisterValueIn[] = [];
    lines.forEach((line, index) => {
      if (!line.include) return;
      values.push({
        line_no: opened.lines[index]!.line_no,
        value: line.value.trim(),
        unit: line.unit.trim() || null,
        reference_range: line.reference_range.trim() || null,
        insight: line.insight || null,
      });
    });
    if (values.length === 0) found.values = t('resultRegistration.form.noneIncluded');
    else if (values.some((v) => !v.value)) found.values = t('resultRegistration.form.valueRequired');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    register.mutate(
      {
        body: { template_id: templateId, sampling_date: samplingDate, comment: comment.trim() || null, values },
        etag,
        idempotencyKey: idempotencyKey.current,
      },
      {
        onSuccess: (result) => {
          onSent(result.outcome.corrected, result.outcome.registered.length);
          requestAnimationFrame(() => document.getElementById('registration-results')?.focus());
        },
      },
    );
  };

  const reload = () => {
    register.reset();
    void queryClient.invalidateQueries({ queryKey: resultRegistrationKeys.order(careUnitHsaId, orderId) });
  };
  const conflict = conflictOf(register.error);

  if (opened.templates.length === 0) {
    return (
      <div className="alert" role="note">
        <p>{t('resultRegistration.form.noTemplates')}</p>
      </div>
    );
  }

  return (
    <form className="registration-form" noValidate onSubmit={onSubmit} aria-labelledby="registration-form-heading">
      <h2 id="registration-form-heading">
        {correcting ? t('resultRegistration.form.correctHeading') : t('resultRegistration.form.heading')}
      </h2>
      {correcting && <p>{t('resultRegistration.form.correctHint')}</p>}
      <ErrorSummary items={errors.summary} focusKey={attempt} />
      {conflict ? (
        <div className="alert alert--error" role="alert">
          <p>
            {conflict.kind === 'date-locked'
              ? t('resultRegistration.form.dateLockedConflict', { date: formatDate(conflict.date, i18n.language) })
              : t('resultRegistration.form.notAwaiting', { status: conflict.status ? t(statusKey(conflict.status)) : '' })}
          </p>
        </div>
      ) : (
        <ProblemAlert error={register.error} onReload={isStaleVersion(register.error) ? reload : undefined} />
      )}
      <SelectField
        id={TEMPLATE_ID}
        label={labels.template_id}
        hint={t('resultRegistration.form.templateHint')}
        required
        placeholder={t('resultRegistration.form.templatePlaceholder')}
        options={opened.templates.map((tpl) => ({ value: tpl.id, label: `${tpl.name} (${tpl.laboratory_code})` }))}
        value={templateId}
        onChange={chooseTemplate}
        error={errors.byField.template_id}
      />
      {template && (
        <p className="field__hint">
          {template.insight
            ? t('resultRegistration.form.insight', { insight: t(`insight.${template.insight}`) })
            : t('resultRegistration.form.noInsight')}
        </p>
      )}
      {locked ? (
        <Field id={DATE_ID} label={labels.sampling_date} hint={t('resultRegistration.form.samplingDateLocked', { date: formatDate(locked, i18n.language) })}>
          {(control) => <input {...control} name={DATE_ID} type="date" className="input input--medium" value={locked} readOnly />}
        </Field>
      ) : (
        <Field
          id={DATE_ID}
          label={labels.sampling_date}
          hint={t('resultRegistration.form.samplingDateHint')}
          error={errors.byField.sampling_date}
          required
        >
          {(control) => (
            <span className="inline-form">
              <input
                {...control}
                name={DATE_ID}
                type="date"
                className="input input--medium"
                value={samplingDate}
                max={today}
                required
                onChange={(event) => setSamplingDate(event.target.value)}
              />
              <button
                type="button"
                className="button button--secondary"
                aria-label={t('resultRegistration.form.todayLabel')}
                onClick={() => setSamplingDate(today)}
              >
                {t('resultRegistration.form.today')}
              </button>
            </span>
          )}
        </Field>
      )}
      <FieldSet id={VALUES_ID} legend={labels.values} hint={t('resultRegistration.form.valuesHint')} error={errors.byField.values}>
        {opened.lines.map((line, index) => {
          const input = lines[index]!;
          const id = `registration-line-${line.line_no}`;
          return (
            <fieldset key={line.line_no} className="row-fieldset">
              <legend>{line.product_name}</legend>
              <CheckboxField
                id={`${id}-include`}
                label={t('resultRegistration.form.include', { product: line.product_name })}
                checked={input.include}
                onChange={(include) => updateLine(index, { include })}
              />
              {input.include && (
                <div className="row-fields">
                  <TextField
                    id={`${id}-value`}
                    label={t('resultRegistration.form.value')}
                    required
                    value={input.value}
                    onChange={(value) => updateLine(index, { value })}
                  />
                  <SelectField
                    id={`${id}-insight`}
                    label={t('resultRegistration.form.lineInsight')}
                    placeholder={t('resultRegistration.form.lineNoInsight')}
                    options={INSIGHTS.map((insight) => ({ value: insight, label: t(`insight.${insight}`) }))}
                    value={input.insight}
                    onChange={(insight) => updateLine(index, { insight: insight as Insight | '' })}
                  />
                  <TextField id={`${id}-unit`} label={t('resultRegistration.form.unit')} size="small" value={input.unit} onChange={(unit) => updateLine(index, { unit })} />
                  <TextField
                    id={`${id}-reference`}
                    label={t('resultRegistration.form.reference')}
                    size="small"
                    value={input.reference_range}
                    onChange={(reference_range) => updateLine(index, { reference_range })}
                  />
                </div>
              )}
            </fieldset>
          );
        })}
      </FieldSet>
      <TextAreaField id={COMMENT_ID} label={labels.comment} optional rows={3} maxLength={2000} value={comment} onChange={setComment} error={errors.byField.comment} />
      <p className="field__hint">{t('resultRegistration.form.sendHint')}</p>
      <button type="submit" className="button button--primary" disabled={register.isPending}>
        {t('resultRegistration.form.submit')}
      </button>
    </form>
  );
}

type Conflict = { kind: 'date-locked'; date: string | null } | { kind: 'not-awaiting'; status: string | null };

/** The 409s this form explains in its own words: the sampling date is locked; the order takes no result. */
function conflictOf(error: unknown): Conflict | null {
  if (!hasStatus(error, 409)) return null;
  const current = (error instanceof ApiError ? error.problem : undefined) as CurrentState | undefined;
  switch (problemSlug(error)) {
    case 'sampling-date-locked':
      return { kind: 'date-locked', date: current?.sampling_date ?? null };
    case 'order-not-awaiting-results':
      return { kind: 'not-awaiting', status: current?.order_status ?? null };
    default:
      return null;
  }
}
