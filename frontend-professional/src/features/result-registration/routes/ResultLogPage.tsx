import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ErrorSummary, TextField, formErrors } from '@shared/forms';
import { formatDate, formatDateTime, looksLikePersonnummer } from '../../../lib/format';
import { hasStatus } from '../../../lib/problems';
import { LOG_PAGE_SIZE, useResultLog } from '../api/resultRegistration';
import type { LogQuery } from '../api/resultRegistration';
import { LogPager } from '../components/LogPager';
import { useRegistrationContext } from './ResultRegistrationLayout';

const FIELDS = ['from_date', 'to_date', 'personnummer', 'rid'] as const;
type F = (typeof FIELDS)[number];
const id = (field: F) => `log-${field}`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Svarslogg (manual 4.5): every result registered by hand at this care unit, newest first; search
 * by dates and by personnummer or RID to find an order with its corrected results.
 */
export function ResultLogPage() {
  const { t, i18n } = useTranslation();
  const { careUnitHsaId } = useRegistrationContext();
  const [form, setForm] = useState({ from_date: '', to_date: '', personnummer: '', rid: '' });
  const [query, setQuery] = useState<LogQuery>({ fromDate: '', toDate: '', personnummer: '', rid: '', page: 1 });
  const [searchNumber, setSearchNumber] = useState(0);
  const [client, setClient] = useState<Partial<Record<F, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const log = useResultLog(careUnitHsaId, query, searchNumber);

  const labels: Record<F, string> = {
    from_date: t('resultRegistration.log.from'),
    to_date: t('resultRegistration.log.to'),
    personnummer: t('resultRegistration.log.personnummer'),
    rid: t('resultRegistration.log.rid'),
  };
  const errors = formErrors({ fields: FIELDS, labels, idOf: id, client, server: log.error });
  const set = (field: F) => (value: string) => setForm({ ...form, [field]: value });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const found: Partial<Record<F, string>> = {};
    if (form.from_date && !DAY.test(form.from_date)) found.from_date = t('fieldErrors.date_parsing');
    if (form.to_date && !DAY.test(form.to_date)) found.to_date = t('fieldErrors.date_parsing');
    if (form.from_date && form.to_date && form.from_date > form.to_date) found.to_date = t('resultRegistration.log.toBeforeFrom');
    const personnummer = form.personnummer.trim();
    const rid = form.rid.trim();
    if (personnummer && !looksLikePersonnummer(personnummer)) found.personnummer = t('personSearch.invalid');
    if (personnummer && rid) found.rid = t('resultRegistration.log.onlyOne');
    setClient(found);
    if (Object.keys(found).length > 0) return;
    setQuery({ fromDate: form.from_date, toDate: form.to_date, personnummer, rid, page: 1 });
    setSearchNumber((n) => n + 1);
  };

  const data = log.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / LOG_PAGE_SIZE)) : 1;
  return (
    <>
      <h2>{t('resultRegistration.tabs.log')}</h2>
      <p>{t('resultRegistration.log.intro')}</p>
      <form className="search-form" noValidate onSubmit={onSubmit} aria-label={t('resultRegistration.log.searchLabel')}>
        <ErrorSummary items={errors.summary} focusKey={attempt} />
        <div className="row-fields">
          <TextField id={id('from_date')} type="date" label={labels.from_date} optional value={form.from_date} onChange={set('from_date')} error={errors.byField.from_date} />
          <TextField id={id('to_date')} type="date" label={labels.to_date} optional value={form.to_date} onChange={set('to_date')} error={errors.byField.to_date} />
        </div>
        <div className="row-fields">
          <TextField
            id={id('personnummer')}
            label={labels.personnummer}
            optional
            hint={t('personSearch.hint')}
            autoComplete="off"
            inputMode="numeric"
            value={form.personnummer}
            onChange={set('personnummer')}
            error={errors.byField.personnummer}
          />
          <TextField
            id={id('rid')}
            label={labels.rid}
            optional
            autoComplete="off"
            value={form.rid}
            onChange={set('rid')}
            error={errors.byField.rid}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={log.isFetching}>
          {t('resultRegistration.log.submit')}
        </button>
      </form>
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        // A 422 (the dates) is shown at its fields.
        hasStatus(log.error, 422) ? null : <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />
      ) : data && data.items.length === 0 ? (
        <p role="status">{t('resultRegistration.log.none')}</p>
      ) : data ? (
        <>
          <div className="table-scroll">
            <table className="table table--dense">
              <caption>
                {data.total_capped
                  ? t('resultRegistration.log.captionCapped', { count: data.total, page: query.page, pages })
                  : t('resultRegistration.log.caption', { count: data.total, page: query.page, pages })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('resultRegistration.log.columns.registeredAt')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.patient')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.rid')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.analysis')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.insight')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.version')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.samplingDate')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.template')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.by')}</th>
                  <th scope="col">{t('resultRegistration.log.columns.open')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((row) => (
                  <tr key={row.result_id}>
                    <td className="nowrap">{formatDateTime(row.registered_at, i18n.language)}</td>
                    <td>
                      {row.patient.name ?? t('resultRegistration.unknownName')}
                      <br />
                      <span className="nowrap">{row.patient.personnummer}</span>
                    </td>
                    <td className="nowrap mono">{row.rid}</td>
                    <td>
                      {row.offer_name}: {row.product_name}
                    </td>
                    <td>{row.insight ? t(`insight.${row.insight}`) : '–'}</td>
                    <td>
                      {row.version}
                      {row.corrected && <span className="tag tag--warning"> {t('resultRegistration.log.corrected')}</span>}
                    </td>
                    <td className="nowrap">{formatDate(row.sampling_date, i18n.language)}</td>
                    <td>{row.template_name ?? '–'}</td>
                    <td>{[row.registered_by_name, row.registered_by_hsa_id].filter(Boolean).join(', ') || '–'}</td>
                    <td>
                      <Link to={`/svarsregistrering/bestallning/${row.order_id}`}>
                        {t('resultRegistration.log.open', { rid: row.rid })}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LogPager page={query.page} pages={pages} onPage={(page) => setQuery({ ...query, page })} />
        </>
      ) : null}
    </>
  );
}
