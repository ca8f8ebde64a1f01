import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HelpTextOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { ErrorSummary, TextAreaField, TextField, formErrors } from '@shared/forms';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { isStaleVersion } from '../../../lib/problems';
import { useAllHelpTexts, usePutHelpText } from '../api/helpTexts';
import { Notice } from '../components/Notice';
import { HELP_TEXT_KEYS } from '../sections';
import { useAdminScope } from '../useAdminScope';

const FIELDS = ['key', 'text_sv', 'text_en'] as const;
type F = (typeof FIELDS)[number];
const FORM = 'help';

/** Help texts per input field key: every administrator sees them; central administrators change them. */
export function HelpTextsAdminPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.sections.helpTexts.title'));
  const { central } = useAdminScope();
  const texts = useAllHelpTexts();
  const put = usePutHelpText();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (texts.isPending) return <Loading />;
  if (texts.isError) return <ErrorAlert error={texts.error} onRetry={() => void texts.refetch()} />;
  const byKey = new Map(texts.data.map((x) => [x.key, x]));
  const keys = [...new Set([...HELP_TEXT_KEYS, ...texts.data.map((x) => x.key)])].sort();

  return (
    <>
      <h1>{t('admin.sections.helpTexts.title')}</h1>
      <p>{t('admin.help.intro')}</p>
      <Notice message={notice} />
      <ProblemAlert error={put.error} onReload={isStaleVersion(put.error) ? () => { put.reset(); void texts.refetch(); } : undefined} />
      {central && editing !== null && (
        <HelpTextForm
          key={editing}
          keyName={editing}
          existing={byKey.get(editing)}
          saving={put.isPending}
          serverError={put.error}
          onCancel={() => setEditing(null)}
          onSave={(key, body, etag) =>
            put.mutate(
              { key, body, etag },
              {
                onSuccess: () => {
                  setNotice(t('admin.help.saved', { key }));
                  setEditing(null);
                },
              },
            )
          }
        />
      )}
      <div className="table-scroll">
        <table className="table table--dense">
          <caption className="visually-hidden">{t('admin.sections.helpTexts.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.help.key')}</th>
              <th scope="col">{t('admin.help.textSv')}</th>
              {central && <th scope="col">{t('admin.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key}>
                <td className="mono">{key}</td>
                <td>{byKey.get(key)?.text_sv ?? <span className="muted">{t('admin.help.missing')}</span>}</td>
                {central && (
                  <td>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-label={t('admin.help.editNamed', { key })}
                      onClick={() => {
                        put.reset();
                        setNotice(null);
                        setEditing(key);
                      }}
                    >
                      {t('admin.help.edit')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {central && <NewKey onAdd={(key) => setEditing(key)} />}
    </>
  );
}

function NewKey({ onAdd }: { onAdd: (key: string) => void }) {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!/^[a-z0-9_.-]{2,100}$/.test(key)) {
          setError(t('admin.help.keyInvalid'));
          return;
        }
        setError(undefined);
        onAdd(key);
      }}
    >
      <TextField id="help-new-key" label={t('admin.help.newKey')} hint={t('admin.help.keyHint')} value={key} onChange={setKey} error={error} />
      <button type="submit" className="button button--secondary">
        {t('admin.help.add')}
      </button>
    </form>
  );
}

function HelpTextForm({
  keyName,
  existing,
  saving,
  serverError,
  onSave,
  onCancel,
}: {
  keyName: string;
  existing?: HelpTextOut;
  saving: boolean;
  serverError: unknown;
  onSave: (key: string, body: { text_sv: string; text_en: string | null }, etag?: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [sv, setSv] = useState(existing?.text_sv ?? '');
  const [en, setEn] = useState(existing?.text_en ?? '');
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const labels: Record<F, string> = { key: t('admin.help.key'), text_sv: t('admin.help.textSv'), text_en: t('admin.help.textEn') };
  const errors = formErrors({ fields: FIELDS, labels, idOf: (f) => `${FORM}-${f}`, client, server: serverError });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<F, string>> = {};
    if (!sv.trim()) found.text_sv = t('admin.required');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    // English is optional: without it the Swedish text is shown in English too.
    onSave(keyName, { text_sv: sv.trim(), text_en: en.trim() || null }, existing ? `"${existing.version}"` : undefined);
  };
  return (
    <section className="panel" aria-labelledby="help-edit-heading">
      <h2 id="help-edit-heading" tabIndex={-1} ref={heading}>
        {t('admin.help.editTitle', { key: keyName })}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.summary} />
        <TextAreaField id={`${FORM}-text_sv`} label={labels.text_sv} required rows={3} value={sv} onChange={setSv} error={errors.byField.text_sv} />
        <TextAreaField id={`${FORM}-text_en`} label={labels.text_en} optional hint={t('admin.help.textEnHint')} rows={3} value={en} onChange={setEn} error={errors.byField.text_en} />
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
