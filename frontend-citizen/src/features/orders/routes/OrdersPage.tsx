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

/** Pågående beställningar (ordered, handled, sampled) or Tidigare beställningar (the rest). */
export function OrdersPage({ state }: { state: OrdersState }) {
  const { t } = useTranslation();
  const location = useLocation();
  const orders = useOrders(state);
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
      {orders.data &&
        (orders.data.length === 0 ? (
          <p className="empty">{state === 'ongoing' ? t('orders.ongoingEmpty') : t('orders.previousEmpty')}</p>
        ) : (
          <ul className="order-list">
            {orders.data.map((order) => (
              <OrderListItem key={order.order_id} order={order} />
            ))}
          </ul>
        ))}
      {state === 'ongoing' && (
        <p>
          <Link to="/bestall">{t('orders.newOrder')}</Link>
        </p>
      )}
    </>
  );
}
