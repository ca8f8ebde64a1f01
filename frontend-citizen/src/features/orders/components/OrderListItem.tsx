import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatDateTime } from '../../../lib/format';
import type { OrderSummary } from '../api/orders';
import { OrderStatusBadge } from './OrderStatusBadge';

export function OrderListItem({ order }: { order: OrderSummary }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="card order-card">
      <h2 className="order-card__title">
        <Link to={`/bestallningar/${order.order_id}`}>{order.offer_name}</Link>
      </h2>
      {order.unread_results > 0 && <p className="badge">{t('orders.newResult')}</p>}
      <dl className="facts facts--compact">
        <div>
          <dt>{t('orders.status')}</dt>
          <dd>
            <OrderStatusBadge status={order.status} />
          </dd>
        </div>
        <div>
          <dt>{t('orders.rid')}</dt>
          <dd className="rid">{order.rid}</dd>
        </div>
        <div>
          <dt>{t('orders.ordered')}</dt>
          <dd>{formatDate(order.created_at, i18n.language)}</dd>
        </div>
        {order.booking_starts_at &&
          (order.status === 'cancelled' ? (
            <div>
              <dt>{t('orders.cancelledTime')}</dt>
              <dd>
                <s>{formatDateTime(order.booking_starts_at, i18n.language)}</s> {t('orders.cancelledTimeNote')}
              </dd>
            </div>
          ) : (
            <div>
              <dt>{t('orders.bookedTime')}</dt>
              <dd>
                {formatDateTime(order.booking_starts_at, i18n.language)}
                {order.sampling_unit_name && `, ${order.sampling_unit_name}`}
              </dd>
            </div>
          ))}
      </dl>
    </li>
  );
}
