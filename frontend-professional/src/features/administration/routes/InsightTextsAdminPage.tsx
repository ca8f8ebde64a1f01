import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InsightTextOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ErrorSummary, TextAreaField, formErrors } from '@shared/forms';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDateTime } from '../../../lib/format';
import { isStaleVersion } from '../../../lib/problems';
import { useInsightTexts, useUpdateInsightText } from '../api/insightTexts';
import { Notice } from '../components/Notice';
import { useAdminScope } from '../useAdminScope';

const FORM = 'insight-text';

/**
 * The default text of each insight (manual 3.5): what the citizen reads when neither the result
 * template nor the offer has a text of its own. Every administrator sees them; central
 * administrators change them.
 */
export function InsightTextsAdminPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('admin.sections.insightTexts.title'));
  const { central } = useAdminScope();
  const texts = useInsightTexts();
  const update = useUpdateInsightText();
  const [editing, setEditing] = useState<InsightTextOut | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (texts.isPending) return <Loading />;
  if (texts.isError) return <ErrorAlert error={texts.error} onRetry={() => void texts.refetch()} />;

  return (
    <>
      <h1>{t('admin.sections.insightTexts.title')}</h1>
      <p>{t('admin.insightTexts.intro')}</p>
      <Notice message={notice} />
      <ProblemAlert
        error={update.error}
        onReload={
          isStaleVersion(update.error)
            ? () => {
                update.reset();
                setEditing(null);
                void texts.refetch();
              }
            : undefined
        }
      />
      {central && editing && (
        <InsightTextForm
          key={`${editing.insight}-${editing.version}`}
          existing={editing}
          saving={update.isPending}
          serverError={update.error}
          onCancel={() => setEditing(null)}
          onSave={(text) =>
            update.mutate(
              { insight: editing.insight, text, etag: `"${editing.version}"` },
              {
                onSuccess: () => {
                  setNotice(t('admin.insightTexts.saved', { insight: t(`insight.${editing.insight}`) }));
                  setEditing(null);
                },
              },
            )
          }
        />
      )}
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">{t('admin.sections.insightTexts.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.insightTexts.insight')}</th>
              <th scope="col">{t('admin.insightTexts.text')}</th>
              <th scope="col">{t('admin.insightTexts.updated')}</th>
              {central && <th scope="col">{t('admin.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {texts.data.map((row) => (
              <tr key={row.insight}>
                <th scope="row">{t(`insight.${row.insight}`)}</th>
                <td>{row.text}</td>
                <td>{row.updated_at ? formatDateTime(row.updated_at, i18n.language) : '–'}</td>
                {central && (
                  <td>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-label={t('admin.insightTexts.editNamed', { insight: t(`insight.${row.insight}`) })}
                      onClick={() => {
                        update.reset();
                        setNotice(null);
                        setEditing(row);
                      }}
                    >
                      {t('admin.insightTexts.edit')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function InsightTextForm({
  existing,
  saving,
  serverError,
  onSave,
  onCancel,
}: {
  existing: InsightTextOut;
  saving: boolean;
  serverError: unknown;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(existing.text);
  const [clientError, setClientError] = useState<string | undefined>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const label = t('admin.insightTexts.text');
  const errors = formErrors({
    fields: ['text'] as const,
    labels: { text: label },
    idOf: () => `${FORM}-text`,
    client: { text: clientError },
    server: serverError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return setClientError(t('admin.required'));
    setClientError(undefined);
    onSave(text.trim());
  };
  return (
    <section className="panel" aria-labelledby="insight-text-heading">
      <h2 id="insight-text-heading" tabIndex={-1} ref={heading}>
        {t('admin.insightTexts.editTitle', { insight: t(`insight.${existing.insight}`) })}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.summary} />
        <TextAreaField
          id={`${FORM}-text`}
          label={label}
          hint={t('admin.insightTexts.textHint')}
          required
          rows={3}
          maxLength={1000}
          value={text}
          onChange={setText}
          error={errors.byField.text}
        />
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={saving}>
            {t('admin.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
