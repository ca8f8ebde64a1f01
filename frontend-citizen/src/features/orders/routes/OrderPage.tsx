import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDate, formatDateTime } from '../../../lib/format';
import { ApiError } from '@shared/lib/http';
import { asSamplingMethod } from '../../../lib/samplingMethod';
import type { OrderDetails } from '../api/orders';
import { useMarkResultsRead, useOrder } from '../api/orders';
import { CancelOrder } from '../components/CancelOrder';
import { DeleteOrder } from '../components/DeleteOrder';
import { OrderStatusBadge } from '../components/OrderStatusBadge';
import { ProcessSteps } from '../components/ProcessSteps';
import { ResultView } from '../components/ResultView';

const ONGOING = new Set(['ordered', 'handled', 'sampled']);

function OrderFacts({ order }: { order: OrderDetails }) {
  const { t, i18n } = useTranslation();
  const method = asSamplingMethod(order.sampling_method);
  const address = order.delivery_address;
  const contact = [order.contact?.phone, order.contact?.email].filter(Boolean).join(', ');
  return (
    <dl className="facts card">
      <div>
        <dt>{t('orders.status')}</dt>
        <dd>
          <OrderStatusBadge status={order.status} />
        </dd>
      </div>
      <div>
        <dt>{t('orders.rid')}</dt>
        <dd>
          <span className="rid">{order.rid}</span>
          <span className="field__hint facts__hint">{t('orders.ridHelp')}</span>
        </dd>
      </div>
      <div>
        <dt>{t('orders.ordered')}</dt>
        <dd>{formatDateTime(order.created_at, i18n.language)}</dd>
      </div>
      <div>
        <dt>{t('orders.method')}</dt>
        <dd>{method ? t(`samplingMethod.${method}`) : order.sampling_method}</dd>
      </div>
      {order.booking &&
        (order.status === 'cancelled' ? (
          // The time was released when the order was cancelled: never shown as still booked.
          <div>
            <dt>{t('orders.cancelledTime')}</dt>
            <dd>
              <s>{formatDateTime(order.booking.starts_at, i18n.language)}</s> {t('orders.cancelledTimeNote')}
              <br />
              {order.booking.sampling_unit_name}
            </dd>
          </div>
        ) : (
          <div>
            <dt>{t('orders.bookedTime')}</dt>
            <dd>
              {formatDateTime(order.booking.starts_at, i18n.language)}
              <br />
              {order.booking.sampling_unit_name}, {order.booking.address}
            </dd>
          </div>
        ))}
      {order.expires_at && (
        <div>
          <dt>{t('orders.expires')}</dt>
          <dd>{formatDate(order.expires_at, i18n.language)}</dd>
        </div>
      )}
      {address && (
        <div>
          <dt>{t('orders.deliveryAddress')}</dt>
          <dd>
            {address.care_of && (
              <>
                {t('profile.careOf', { name: address.care_of })}
                <br />
              </>
            )}
            {address.street}
            <br />
            {address.postal_code} {address.city}
          </dd>
        </div>
      )}
      {contact && (
        <div>
          <dt>{t('orders.contact')}</dt>
          <dd>{contact}</dd>
        </div>
      )}
    </dl>
  );
}

/** Marks the results read once they have been shown (care sees it in the worklist). */
function useMarkReadWhenShown(order: OrderDetails | undefined) {
  const markRead = useMarkResultsRead(order?.order_id ?? '');
  const marked = useRef<string | null>(null);
  const { mutate } = markRead;
  useEffect(() => {
    if (!order || order.unread_results === 0 || marked.current === order.order_id) return;
    marked.current = order.order_id;
    mutate();
  }, [order, mutate]);
}

export function OrderPage() {
  const { t } = useTranslation();
  const { orderId = '' } = useParams();
  const order = useOrder(orderId);
  usePageTitle(order.data?.offer_name ?? t('orders.orderTitle'));
  useMarkReadWhenShown(order.data);

  if (order.isError) {
    const missing = order.error instanceof ApiError && (order.error.status === 404 || order.error.status === 422);
    return (
      <>
        <PageHeading>{t('orders.orderTitle')}</PageHeading>
        {missing ? (
          <p>{t('orders.notFound')}</p>
        ) : (
          <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />
        )}
        <p>
          <Link to="/bestallningar">{t('orders.ongoingTitle')}</Link>
        </p>
      </>
    );
  }
  if (!order.data) return <Loading />;
  const data = order.data;
  const backTo = ONGOING.has(data.status) ? '/bestallningar' : '/bestallningar/tidigare';

  return (
    <>
      <p className="breadcrumb">
        <Link to={backTo}>
          {ONGOING.has(data.status) ? t('orders.ongoingTitle') : t('orders.previousTitle')}
        </Link>
      </p>
      <PageHeading>{data.offer_name}</PageHeading>
      <OrderFacts order={data} />
      <ProcessSteps steps={data.steps} />
      <section aria-labelledby="results-heading" className="order-section">
        <h2 id="results-heading">{t('results.heading')}</h2>
        {data.results === 0 && (data.status === 'cancelled' || data.status === 'expired') ? (
          <p>{t(`results.${data.status}`)}</p>
        ) : (
          data.lines.map((line) => <ResultView key={line.line_no} line={line} />)
        )}
        {data.results > 0 && <p className="muted">{t('results.labsDiffer')}</p>}
      </section>
      <CancelOrder order={data} onReload={() => void order.refetch()} />
      <DeleteOrder order={data} />
    </>
  );
}
