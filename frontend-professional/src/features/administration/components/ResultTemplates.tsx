import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisIo, ResultTemplateIn, ResultTemplateOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { ErrorSummary, FieldSet, SelectField, TextAreaField, TextField, formErrors } from '@shared/forms';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { isStaleVersion } from '../../../lib/problems';
import { useCreateResultTemplate, useResultTemplates, useUpdateResultTemplate } from '../api/laboratories';
import { INSIGHTS } from '../sections';
import { fieldId } from './formHelpers';

const FIELDS = ['name', 'analyses', 'default_comment', 'insight', 'insight_text'] as const;
type F = (typeof FIELDS)[number];

interface Row {
  analysis: string;
  unit: string;
  reference_range: string;
  /** The result the template prefills in Svarsregistrering (e.g. "Ej påvisad"). */
  value: string;
  /** The insight of the line this analysis prefills; '' for the template's. */
  insight: string;
}

const emptyRow = (): Row => ({ analysis: '', unit: '', reference_range: '', value: '', insight: '' });

interface Props {
  code: string;
  /** A retired laboratory: its templates are listed, not changed. */
  readOnly?: boolean;
}

/** The laboratory's result templates (svarsmallar) for manual result registration. */
export function ResultTemplates({ code, readOnly = false }: Props) {
  const { t } = useTranslation();
  const templates = useResultTemplates(code);
  const create = useCreateResultTemplate(code);
  const update = useUpdateResultTemplate(code);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [createKey, setCreateKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const editing = editingId ? templates.data?.find((tpl) => tpl.id === editingId) : undefined;

  const stopEditing = (id: string) => {
    setEditingId(null);
    update.reset();
    window.setTimeout(() => document.getElementById(`template-edit-button-${id}`)?.focus(), 0);
  };

  return (
    <section aria-labelledby="templates-heading">
      <h2 id="templates-heading">{t('admin.templates.title')}</h2>
      {templates.isPending ? (
        <Loading />
      ) : templates.isError ? (
        <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />
      ) : templates.data.length === 0 ? (
        <p>{t('admin.templates.none')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('admin.templates.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.templates.name')}</th>
              <th scope="col">{t('admin.templates.analyses')}</th>
              <th scope="col">{t('admin.templates.insight')}</th>
              {!readOnly && <th scope="col">{t('admin.templates.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {templates.data.map((tpl) => (
              <tr key={tpl.id}>
                <td>{tpl.name}</td>
                <td>{tpl.analyses.map((a) => a.analysis).join(', ')}</td>
                <td>{tpl.insight ? t(`insight.${tpl.insight as (typeof INSIGHTS)[number]}`) : '–'}</td>
                {!readOnly && (
                  <td>
                    <button
                      id={`template-edit-button-${tpl.id}`}
                      type="button"
                      className="button button--secondary button--small"
                      aria-label={t('admin.templates.editLabel', { name: tpl.name })}
                      onClick={() => {
                        setNotice(null);
                        update.reset();
                        setEditingId(tpl.id);
                      }}
                    >
                      {t('admin.templates.edit')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div aria-live="polite" className="live-region">
        {notice && (
          <div className="alert alert--success">
            <p>{notice}</p>
          </div>
        )}
      </div>
      {readOnly ? null : editing ? (
        <TemplateForm
          // A reloaded (newer) version starts the form afresh.
          key={`${editing.id}-${editing.version}`}
          form="template-edit"
          heading={t('admin.templates.editTitle', { name: editing.name })}
          focusHeading
          initial={editing}
          submitLabel={t('admin.templates.save')}
          saving={update.isPending}
          serverError={update.error}
          onReload={() => {
            update.reset();
            void templates.refetch();
          }}
          onCancel={() => stopEditing(editing.id)}
          onSubmit={(body) => {
            setNotice(null);
            update.mutate(
              { id: editing.id, body, etag: `"${editing.version}"` },
              {
                onSuccess: (saved) => {
                  setNotice(t('admin.templates.saved', { name: saved.name }));
                  stopEditing(saved.id);
                },
              },
            );
          }}
        />
      ) : (
        <TemplateForm
          key={createKey}
          form="template"
          heading={t('admin.templates.new')}
          submitLabel={t('admin.templates.create')}
          saving={create.isPending}
          serverError={create.error}
          onSubmit={(body) => {
            setNotice(null);
            create.mutate(body, {
              onSuccess: (created) => {
                setNotice(t('admin.templates.created', { name: created.name }));
                setCreateKey((k) => k + 1);
              },
            });
          }}
        />
      )}
    </section>
  );
}

interface FormProps {
  form: string;
  heading: string;
  /** Move focus to the heading when the form appears (opened from a row's "Ändra"). */
  focusHeading?: boolean;
  initial?: ResultTemplateOut;
  submitLabel: string;
  saving: boolean;
  serverError: unknown;
  onSubmit: (body: ResultTemplateIn) => void;
  /** Given for a change: 412/428 offer to reload the template. */
  onReload?: () => void;
  onCancel?: () => void;
}

function TemplateForm({ form, heading, focusHeading, initial, submitLabel, saving, serverError, onSubmit, onReload, onCancel }: FormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial?.name ?? '');
  const [rows, setRows] = useState<Row[]>(
    initial && initial.analyses.length > 0
      ? initial.analyses.map((a) => ({
          analysis: a.analysis,
          unit: a.unit ?? '',
          reference_range: a.reference_range ?? '',
          value: a.value ?? '',
          insight: a.insight ?? '',
        }))
      : [emptyRow()],
  );
  const [comment, setComment] = useState(initial?.default_comment ?? '');
  const [insight, setInsight] = useState<string>(initial?.insight ?? '');
  const [insightText, setInsightText] = useState(initial?.insight_text ?? '');
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (focusHeading) headingRef.current?.focus();
  }, [focusHeading]);

  const labels: Record<F, string> = {
    name: t('admin.templates.name'),
    analyses: t('admin.templates.analyses'),
    default_comment: t('admin.templates.comment'),
    insight: t('admin.templates.insight'),
    insight_text: t('admin.templates.insightText'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(form, f), client, server: serverError });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<F, string>> = {};
    if (name.trim().length < 2) found.name = t('admin.required');
    const analyses: AnalysisIo[] = rows
      .filter((r) => r.analysis.trim())
      .map((r) => ({
        analysis: r.analysis.trim(),
        unit: r.unit.trim() || null,
        reference_range: r.reference_range.trim() || null,
        value: r.value.trim() || null,
        insight: (r.insight || null) as AnalysisIo['insight'],
      }));
    if (analyses.length === 0) found.analyses = t('admin.templates.analysesRequired');
    if (insightText.trim() && !insight) found.insight_text = t('admin.templates.insightTextNeedsInsight');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    onSubmit({
      name: name.trim(),
      analyses,
      default_comment: comment.trim() || null,
      insight: (insight || null) as ResultTemplateIn['insight'],
      insight_text: insightText.trim() || null,
    });
  };

  return (
    <>
      <h3 ref={headingRef} tabIndex={-1}>
        {heading}
      </h3>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.summary} />
        <ProblemAlert error={serverError} onReload={onReload && isStaleVersion(serverError) ? onReload : undefined} />
        <TextField
          id={fieldId(form, 'name')}
          label={labels.name}
          required
          value={name}
          onChange={setName}
          error={errors.byField.name}
        />
        <FieldSet
          id={fieldId(form, 'analyses')}
          legend={labels.analyses}
          helpKey="result_template.analyses"
          error={errors.byField.analyses}
        >
          {rows.map((row, index) => {
            const id = `${form}-analysis-${index}`;
            const update = (patch: Partial<Row>) => setRows(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
            return (
              <fieldset key={index} className="row-fieldset">
                <legend>{t('admin.templates.analysisRow', { n: index + 1 })}</legend>
                <div className="row-fields">
                  <TextField id={`${id}-name`} label={t('admin.templates.analysis')} value={row.analysis} onChange={(v) => update({ analysis: v })} />
                  <TextField id={`${id}-unit`} label={t('admin.templates.unit')} size="small" value={row.unit} onChange={(v) => update({ unit: v })} />
                  <TextField
                    id={`${id}-range`}
                    label={t('admin.templates.referenceRange')}
                    size="small"
                    value={row.reference_range}
                    onChange={(v) => update({ reference_range: v })}
                  />
                  <TextField
                    id={`${id}-value`}
                    label={t('admin.templates.value')}
                    size="small"
                    value={row.value}
                    onChange={(v) => update({ value: v })}
                  />
                  <SelectField
                    id={`${id}-insight`}
                    label={t('admin.templates.analysisInsight')}
                    placeholder={t('admin.templates.analysisInsightTemplates')}
                    options={INSIGHTS.map((i) => ({ value: i, label: t(`insight.${i}`) }))}
                    value={row.insight}
                    onChange={(v) => update({ insight: v })}
                  />
                </div>
                {rows.length > 1 && (
                  <button type="button" className="button button--link" onClick={() => setRows(rows.filter((_, i) => i !== index))}>
                    {t('admin.templates.removeAnalysis', { n: index + 1 })}
                  </button>
                )}
              </fieldset>
            );
          })}
          <button type="button" className="button button--secondary button--small" onClick={() => setRows([...rows, emptyRow()])}>
            {t('admin.templates.addAnalysis')}
          </button>
        </FieldSet>
        <TextAreaField
          id={fieldId(form, 'default_comment')}
          label={labels.default_comment}
          rows={3}
          value={comment}
          onChange={setComment}
          error={errors.byField.default_comment}
        />
        <SelectField
          id={fieldId(form, 'insight')}
          label={labels.insight}
          helpKey="result_template.insight"
          placeholder={t('admin.templates.noInsight')}
          options={INSIGHTS.map((i) => ({ value: i, label: t(`insight.${i}`) }))}
          value={insight}
          onChange={setInsight}
          error={errors.byField.insight}
        />
        <TextAreaField
          id={fieldId(form, 'insight_text')}
          label={labels.insight_text}
          hint={t('admin.templates.insightTextHint')}
          optional
          rows={2}
          maxLength={1000}
          value={insightText}
          onChange={setInsightText}
          error={errors.byField.insight_text}
        />
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={saving}>
            {submitLabel}
          </button>
          {onCancel && (
            <button type="button" className="button button--secondary" onClick={onCancel}>
              {t('admin.cancel')}
            </button>
          )}
        </div>
      </form>
    </>
  );
}
