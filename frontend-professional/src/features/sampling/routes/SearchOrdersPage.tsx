import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorSummary, TextField, formErrors } from '@shared/forms';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDateTime, looksLikePersonnummer } from '../../../lib/format';
import { hasStatus } from '../../../lib/problems';
import { useSearchOrders } from '../api/sampling';
import { statusKey } from '../../../lib/orderStatus';
import { OrderFlags } from '../components/OrderFlags';
import { useSamplingContext } from './SamplingLayout';

const FIELD_ID = 'sampling-personnummer';

/** Sök beställning: by personnummer, every order of the citizen that can still be sampled. */
export function SearchOrdersPage() {
  const { t, i18n } = useTranslation();
  const { search, setSearch } = useSamplingContext();
  const [value, setValue] = useState(search.personnummer);
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const searching = useSearchOrders();
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const errors = formErrors({
    fields: ['personnummer'] as const,
    labels: { personnummer: t('sampling.search.personnummer') },
    idOf: () => FIELD_ID,
    client: { personnummer: clientError },
    server: searching.error,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const personnummer = value.trim();
    if (!personnummer) return setClientError(t('sampling.search.required'));
    if (!looksLikePersonnummer(personnummer)) return setClientError(t('sampling.search.invalid'));
    setClientError(undefined);
    searching.mutate(personnummer, {
      onSuccess: (result) => {
        setSearch({ personnummer, result });
        requestAnimationFrame(() => resultHeading.current?.focus());
      },
      onError: () => setSearch({ personnummer, result: null }),
    });
  };

  const result = search.result;
  return (
    <>
      <h2>{t('sampling.tabs.search')}</h2>
      <form className="search-form" noValidate onSubmit={onSubmit}>
        <ErrorSummary items={errors.summary} focusKey={attempt} />
        <TextField
          id={FIELD_ID}
          label={t('sampling.search.personnummer')}
          hint={t('sampling.search.hint')}
          value={value}
          onChange={setValue}
          error={errors.byField.personnummer}
          autoComplete="off"
          inputMode="numeric"
          required
        />
        <button type="submit" className="button button--primary" disabled={searching.isPending}>
          {t('sampling.search.submit')}
        </button>
      </form>
      {hasStatus(searching.error, 404) ? (
        <div className="alert alert--error" role="alert">
          <p>{t('sampling.search.notFound')}</p>
        </div>
      ) : (
        <ProblemAlert error={searching.error} />
      )}
      {result && (
        <section aria-labelledby="sampling-result">
          <h2 id="sampling-result" ref={resultHeading} tabIndex={-1}>
            {t('sampling.search.patient', {
              name: result.patient.name ?? t('sampling.unknownName'),
              personnummer: result.patient.personnummer,
            })}
          </h2>
          {result.orders.length === 0 ? (
            <p role="status">{t('sampling.search.none')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table table--dense">
                <caption>{t('sampling.search.caption', { count: result.orders.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('sampling.columns.offer')}</th>
                    <th scope="col">{t('sampling.columns.rid')}</th>
                    <th scope="col">{t('sampling.columns.status')}</th>
                    <th scope="col">{t('sampling.columns.ordered')}</th>
                    <th scope="col">{t('sampling.columns.booked')}</th>
                    <th scope="col">{t('sampling.columns.open')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.orders.map((order) => (
                    <tr key={order.id}>
                      <td>
                        {order.offer_name} <OrderFlags order={order} />
                      </td>
                      <td className="nowrap mono">{order.rid}</td>
                      <td>{t(statusKey(order.status))}</td>
                      <td>{formatDateTime(order.created_at, i18n.language)}</td>
                      <td>
                        {order.booked_start
                          ? `${formatDateTime(order.booked_start, i18n.language)} ${order.booked_unit_name ?? ''}`
                          : t('sampling.dropIn')}
                      </td>
                      <td>
                        {order.booked_elsewhere ? (
                          <span className="muted">{t('sampling.notHere')}</span>
                        ) : (
                          <Link to={`/provtagning/bestallning/${order.id}`}>
                            {t('sampling.openOrder', { offer: order.offer_name })}
                          </Link>
                        )}
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
