import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import type { OrdersState } from '../api/orders';
import { useOrders } from '../api/orders';
import type { DeletedNotice } from '../components/DeleteOrder';
import { OrderListItem } from '../components/OrderListItem';
import { OrdersNav } from '../components/OrdersNav';

function isDeletedNotice(state: unknown): state is DeletedNotice {
  return typeof state === 'object' && state !== null && (state as DeletedNotice).notice === 'deleted';
}

/**
 * Pågående beställningar (ordered, handled, sampled) or Tidigare beställningar (the rest), newest
 * first, twenty at a time ("Visa fler" shows the next ones).
 */
export function OrdersPage({ state }: { state: OrdersState }) {
  const { t } = useTranslation();
  const location = useLocation();
  const orders = useOrders(state);
  // The pages fetched so far (newest first); "Visa fler" appends the next.
  const listed = orders.data?.pages.flatMap((page) => page.items);
  const title = state === 'ongoing' ? t('orders.ongoingTitle') : t('orders.previousTitle');
  usePageTitle(title);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/">{t('nav.toStart')}</Link>
      </p>
      <PageHeading>{title}</PageHeading>
      {isDeletedNotice(location.state) && (
        <div className="alert alert--success" role="status">
          <p>{t('deleteOrder.done')}</p>
        </div>
      )}
      <OrdersNav />
      <p>{state === 'ongoing' ? t('orders.ongoingIntro') : t('orders.previousIntro')}</p>
      {orders.isPending && <Loading />}
      {orders.isError && <ErrorAlert error={orders.error} onRetry={() => void orders.refetch()} />}
      {listed &&
        (listed.length === 0 ? (
          <p className="empty">{state === 'ongoing' ? t('orders.ongoingEmpty') : t('orders.previousEmpty')}</p>
        ) : (
          <>
            <ul className="order-list" aria-busy={orders.isFetchingNextPage}>
              {listed.map((order) => (
                <OrderListItem key={order.order_id} order={order} />
              ))}
            </ul>
            {orders.hasNextPage && (
              <p>
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={orders.isFetchingNextPage}
                  onClick={() => void orders.fetchNextPage()}
                >
                  {t('orders.showMore')}
                </button>
              </p>
            )}
          </>
        ))}
      {state === 'ongoing' && (
        <p>
          <Link to="/bestall">{t('orders.newOrder')}</Link>
        </p>
      )}
    </>
  );
}
