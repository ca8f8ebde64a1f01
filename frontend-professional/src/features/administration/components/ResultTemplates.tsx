import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisIo } from '../../../client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { SelectField, TextAreaField, TextField } from '../../../components/Fields';
import { ErrorSummary, FieldSet } from '../../../components/Form';
import { formErrors } from '../../../components/formErrors';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useCreateResultTemplate, useResultTemplates } from '../api/adminApi';
import { INSIGHTS } from '../sections';
import { fieldId } from './formHelpers';

const FIELDS = ['name', 'analyses', 'default_comment', 'insight'] as const;
type F = (typeof FIELDS)[number];
const FORM = 'template';

interface Row {
  analysis: string;
  unit: string;
  reference_range: string;
}

const emptyRow = (): Row => ({ analysis: '', unit: '', reference_range: '' });

/** The laboratory's result templates (svarsmallar) for manual result registration. */
export function ResultTemplates({ code }: { code: string }) {
  const { t } = useTranslation();
  const templates = useResultTemplates(code);
  const create = useCreateResultTemplate(code);
  const [name, setName] = useState('');
  const [rows, setRows] = useState<Row[]>([emptyRow()]);
  const [comment, setComment] = useState('');
  const [insight, setInsight] = useState('');
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);

  const labels: Record<F, string> = {
    name: t('admin.templates.name'),
    analyses: t('admin.templates.analyses'),
    default_comment: t('admin.templates.comment'),
    insight: t('admin.templates.insight'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => fieldId(FORM, f), client, server: create.error });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const found: Partial<Record<F, string>> = {};
    if (name.trim().length < 2) found.name = t('admin.required');
    const analyses: AnalysisIo[] = rows
      .filter((r) => r.analysis.trim())
      .map((r) => ({ analysis: r.analysis.trim(), unit: r.unit.trim() || null, reference_range: r.reference_range.trim() || null }));
    if (analyses.length === 0) found.analyses = t('admin.templates.analysesRequired');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      {
        name: name.trim(),
        analyses,
        default_comment: comment.trim() || null,
        insight: (insight || null) as never,
      },
      {
        onSuccess: (created) => {
          setNotice(t('admin.templates.created', { name: created.name }));
          setName('');
          setRows([emptyRow()]);
          setComment('');
          setInsight('');
        },
      },
    );
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
            </tr>
          </thead>
          <tbody>
            {templates.data.map((tpl) => (
              <tr key={tpl.id}>
                <td>{tpl.name}</td>
                <td>{tpl.analyses.map((a) => a.analysis).join(', ')}</td>
                <td>{tpl.insight ? t(`insight.${tpl.insight as (typeof INSIGHTS)[number]}`) : '–'}</td>
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
      <h3>{t('admin.templates.new')}</h3>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.summary} />
        <ProblemAlert error={create.error} />
        <TextField
          id={fieldId(FORM, 'name')}
          label={labels.name}
          required
          value={name}
          onChange={setName}
          error={errors.byField.name}
        />
        <FieldSet
          id={fieldId(FORM, 'analyses')}
          legend={labels.analyses}
          helpKey="result_template.analyses"
          error={errors.byField.analyses}
        >
          {rows.map((row, index) => {
            const id = `${FORM}-analysis-${index}`;
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
          id={fieldId(FORM, 'default_comment')}
          label={labels.default_comment}
          rows={3}
          value={comment}
          onChange={setComment}
          error={errors.byField.default_comment}
        />
        <SelectField
          id={fieldId(FORM, 'insight')}
          label={labels.insight}
          helpKey="result_template.insight"
          placeholder={t('admin.templates.noInsight')}
          options={INSIGHTS.map((i) => ({ value: i, label: t(`insight.${i}`) }))}
          value={insight}
          onChange={setInsight}
          error={errors.byField.insight}
        />
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {t('admin.templates.create')}
        </button>
      </form>
    </section>
  );
}
