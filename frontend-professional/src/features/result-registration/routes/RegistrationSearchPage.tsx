import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorSummary, RadioGroup, TextField, formErrors } from '@shared/forms';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDateTime, looksLikePersonnummer } from '../../../lib/format';
import { statusKey } from '../../../lib/orderStatus';
import { hasStatus } from '../../../lib/problems';
import { useSearchRegistrationOrders } from '../api/resultRegistration';
import { useRegistrationContext } from './ResultRegistrationLayout';
import type { SearchBy } from './ResultRegistrationLayout';

const BY_ID = 'registration-search-by';
const VALUE_ID = 'registration-search-value';

/** A RID as printed (XXXX-XXXX-XX), any case, with or without dashes and spaces. */
function looksLikeRid(value: string): boolean {
  return /^[A-Za-z0-9]{4,16}$/.test(value.replace(/[\s-]/g, ''));
}

/**
 * Sök invånare och beställning: by personnummer every order of the citizen whose results go to
 * this care unit, with its status; by RID the order of an anonymous kit.
 */
export function RegistrationSearchPage() {
  const { t, i18n } = useTranslation();
  const { search, setSearch, careUnitName } = useRegistrationContext();
  const [by, setBy] = useState<SearchBy>(search.by);
  const [value, setValue] = useState(search.value);
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const searching = useSearchRegistrationOrders();
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const label = by === 'personnummer' ? t('resultRegistration.search.personnummer') : t('resultRegistration.search.rid');
  // One input for either: the server names the field it refuses (personnummer or rid).
  const errors = formErrors({
    fields: ['personnummer', 'rid'] as const,
    labels: { personnummer: t('resultRegistration.search.personnummer'), rid: t('resultRegistration.search.rid') },
    idOf: () => VALUE_ID,
    client: { [by]: clientError },
    server: searching.error,
  });
  const fieldError = errors.byField[by] ?? errors.byField[by === 'rid' ? 'personnummer' : 'rid'];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const typed = value.trim();
    if (!typed) {
      return setClientError(
        by === 'personnummer' ? t('resultRegistration.search.personnummerRequired') : t('resultRegistration.search.ridRequired'),
      );
    }
    if (by === 'personnummer' && !looksLikePersonnummer(typed)) return setClientError(t('personSearch.invalid'));
    if (by === 'rid' && !looksLikeRid(typed)) return setClientError(t('resultRegistration.search.ridInvalid'));
    setClientError(undefined);
    searching.mutate(by === 'personnummer' ? { personnummer: typed } : { rid: typed }, {
      onSuccess: (result) => {
        setSearch({ by, value: typed, result });
        requestAnimationFrame(() => resultHeading.current?.focus());
      },
      onError: () => setSearch({ by, value: typed, result: null }),
    });
  };

  const result = search.result;
  return (
    <>
      <h2>{t('resultRegistration.tabs.search')}</h2>
      <p>{t('resultRegistration.search.intro')}</p>
      <form className="search-form" noValidate onSubmit={onSubmit}>
        <ErrorSummary items={errors.summary} focusKey={attempt} />
        <RadioGroup
          id={BY_ID}
          legend={t('resultRegistration.search.by')}
          inline
          options={[
            { value: 'personnummer', label: t('resultRegistration.search.byPersonnummer') },
            { value: 'rid', label: t('resultRegistration.search.byRid') },
          ]}
          value={by}
          onChange={(next) => {
            setBy(next === 'rid' ? 'rid' : 'personnummer');
            setClientError(undefined);
          }}
        />
        <TextField
          id={VALUE_ID}
          label={label}
          hint={by === 'personnummer' ? t('personSearch.hint') : t('resultRegistration.search.ridHint')}
          value={value}
          onChange={setValue}
          error={fieldError}
          autoComplete="off"
          inputMode={by === 'personnummer' ? 'numeric' : 'text'}
          required
        />
        <button type="submit" className="button button--primary" disabled={searching.isPending}>
          {t('resultRegistration.search.submit')}
        </button>
      </form>
      {hasStatus(searching.error, 404) ? (
        <div className="alert alert--error" role="alert">
          <p>{t('resultRegistration.search.ridNotFound')}</p>
        </div>
      ) : (
        <ProblemAlert error={searching.error} />
      )}
      {result && (
        <section aria-labelledby="registration-result">
          <h2 id="registration-result" ref={resultHeading} tabIndex={-1}>
            {result.patient
              ? t('resultRegistration.search.patient', {
                  name: result.patient.name ?? t('resultRegistration.unknownName'),
                  personnummer: result.patient.personnummer,
                })
              : t('resultRegistration.search.noPatient')}
          </h2>
          {result.orders.length === 0 ? (
            <p role="status">{t('resultRegistration.search.none', { unit: careUnitName })}</p>
          ) : (
            <div className="table-scroll">
              <table className="table table--dense">
                <caption>{t('resultRegistration.search.caption', { count: result.orders.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('resultRegistration.columns.offer')}</th>
                    <th scope="col">{t('resultRegistration.columns.rid')}</th>
                    <th scope="col">{t('resultRegistration.columns.status')}</th>
                    <th scope="col">{t('resultRegistration.columns.ordered')}</th>
                    <th scope="col">{t('resultRegistration.columns.results')}</th>
                    <th scope="col">{t('resultRegistration.columns.open')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.orders.map((order) => (
                    <tr key={order.id}>
                      <td>{order.offer_name}</td>
                      <td className="nowrap mono">{order.rid}</td>
                      <td>{t(statusKey(order.status))}</td>
                      <td>{formatDateTime(order.created_at, i18n.language)}</td>
                      <td>{order.results}</td>
                      <td>
                        <Link to={`/svarsregistrering/bestallning/${order.id}`}>
                          {t('resultRegistration.openOrder', { offer: order.offer_name, rid: order.rid })}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}
