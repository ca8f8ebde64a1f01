import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { formatDateTime } from '../../../lib/format';
import { useReceiveOrders, useWaitingOrders } from '../api/dispatch';
import { DispatchProblem } from '../components/DispatchProblem';
import { SelectAll, toggled } from '../components/OrderSelection';
import { useDispatchContext } from './DispatchLayout';

/** Batchbearbetning: mark many orders received without printing (they become Hanterad), all or nothing. */
export function DispatchBatchPage() {
  const { t, i18n } = useTranslation();
  const { kind, careUnitHsaId } = useDispatchContext();
  const waiting = useWaitingOrders(kind, careUnitHsaId);
  const receiving = useReceiveOrders(kind, careUnitHsaId);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  if (waiting.isPending) return <Loading />;
  if (waiting.isError) return <ErrorAlert error={waiting.error} onRetry={() => void waiting.refetch()} />;
  const orders = [...waiting.data.orders, ...waiting.data.manual_handling];
  const ids = orders.map((o) => o.order_id);
  const chosen = ids.filter((id) => selected.has(id));

  return (
    <>
      <h2>{t('dispatch.tabs.batch')}</h2>
      <p>{t('dispatch.batch.intro')}</p>
      <div className="live-region" role="status">
        {receiving.isSuccess && (
          <p className="alert alert--success">
            {t('dispatch.batch.received', {
              count: receiving.data.received,
              time: formatDateTime(receiving.data.handled_at, i18n.language),
            })}
          </p>
        )}
      </div>
      <DispatchProblem error={receiving.error} />
      {orders.length === 0 ? (
        <p>{t('dispatch.none')}</p>
      ) : (
        <>
          <SelectAll id={`${kind}-batch-select-all`} ids={ids} selected={selected} onChange={setSelected} />
          <div className="table-scroll">
            <table className="table table--dense">
              <caption>{t('dispatch.caption', { count: orders.length, chosen: chosen.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t('dispatch.choose')}</span>
                  </th>
                  <th scope="col">{t('dispatch.columns.ordered')}</th>
                  <th scope="col">{t('dispatch.columns.name')}</th>
                  <th scope="col">{t('dispatch.columns.personnummer')}</th>
                  <th scope="col">{t('dispatch.columns.offer')}</th>
                  <th scope="col">{t('dispatch.columns.rid')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((order) => (
                  <tr key={order.order_id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('dispatch.chooseOrder', { rid: order.rid, name: order.name })}
                        checked={selected.has(order.order_id)}
                        onChange={() => setSelected((s) => toggled(s, order.order_id))}
                      />
                    </td>
                    <td className="nowrap">{formatDateTime(order.created_at, i18n.language)}</td>
                    <td>{order.name}</td>
                    <td className="nowrap">{order.personnummer}</td>
                    <td>{order.offer_name}</td>
                    <td className="nowrap mono">{order.rid}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            className="button button--primary"
            disabled={chosen.length === 0 || receiving.isPending}
            onClick={() => receiving.mutate(chosen, { onSuccess: () => setSelected(new Set()) })}
          >
            {t('dispatch.batch.submit', { count: chosen.length })}
          </button>
        </>
      )}
    </>
  );
}
