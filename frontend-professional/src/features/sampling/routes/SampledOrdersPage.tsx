import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { formatDateTime } from '../../../lib/format';
import { useSampledOrders } from '../api/sampling';
import { Pager } from '../components/Pager';
import { useSamplingContext } from './SamplingLayout';

/** Utskrivna: every order sampled at this unit, once each; reprint from here. */
export function SampledOrdersPage() {
  const { t, i18n } = useTranslation();
  const { careUnitHsaId } = useSamplingContext();
  const [page, setPage] = useState(1);
  const list = useSampledOrders(careUnitHsaId, page);
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  const { data } = list;
  const pages = Math.max(1, Math.ceil(data.total / data.page_size));
  return (
    <>
      <h2>{t('sampling.tabs.sampled')}</h2>
      {data.total === 0 ? (
        <p>{t('sampling.sampled.none')}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table table--dense" aria-busy={list.isFetching}>
              <caption>{t('sampling.sampled.caption', { count: data.total, page, pages })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sampling.order.sampledAt')}</th>
                  <th scope="col">{t('sampling.columns.patient')}</th>
                  <th scope="col">{t('sampling.columns.personnummer')}</th>
                  <th scope="col">{t('sampling.columns.offer')}</th>
                  <th scope="col">{t('sampling.columns.rid')}</th>
                  <th scope="col">{t('sampling.order.laboratory')}</th>
                  <th scope="col">{t('sampling.columns.prints')}</th>
                  <th scope="col">{t('sampling.columns.open')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr key={item.id}>
                    <td className="nowrap">{formatDateTime(item.sampled_at, i18n.language)}</td>
                    <td>{item.patient.name ?? t('sampling.unknownName')}</td>
                    <td className="nowrap">{item.patient.personnummer}</td>
                    <td>{item.offer_name}</td>
                    <td className="nowrap mono">{item.rid}</td>
                    <td className="mono">{item.laboratory_code ?? '–'}</td>
                    <td className="numeric">{item.prints}</td>
                    <td>
                      <Link to={`/provtagning/bestallning/${item.id}`}>{t('sampling.reprintFor', { rid: item.rid })}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} onPage={setPage} />
        </>
      )}
    </>
  );
}
