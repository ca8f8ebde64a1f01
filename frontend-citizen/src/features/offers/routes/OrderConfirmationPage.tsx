import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDateTime } from '../../../lib/format';
import { asSamplingMethod } from '../../../lib/samplingMethod';
import { useOrder } from '../api/offers';
import { HowToGetSampled } from '../components/HowToGetSampled';

/** "Beställningen är klar": the RID and how to get sampled. */
export function OrderConfirmationPage() {
  const { t, i18n } = useTranslation();
  const { orderId = '' } = useParams();
  const order = useOrder(orderId);
  usePageTitle(t('confirmation.title'));

  if (order.isError) return <ErrorAlert error={order.error} onRetry={() => void order.refetch()} />;
  if (!order.data) return <Loading />;
  const data = order.data;
  const method = asSamplingMethod(data.sampling_method);

  return (
    <>
      <PageHeading>{t('confirmation.title')}</PageHeading>
      <div className="alert alert--success">
        <p>{t('confirmation.intro', { offer: data.offer_name })}</p>
      </div>
      <dl className="facts card">
        <div>
          <dt>{t('orders.rid')}</dt>
          <dd>
            <span className="rid">{data.rid}</span>
            <span className="field__hint facts__hint">{t('orders.ridHelp')}</span>
          </dd>
        </div>
        <div>
          <dt>{t('orders.ordered')}</dt>
          <dd>{formatDateTime(data.created_at, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t('orders.method')}</dt>
          <dd>
            {method ? t(`samplingMethod.${method}`) : data.sampling_method}
          </dd>
        </div>
      </dl>
      <section aria-labelledby="how-heading">
        <h2 id="how-heading">{t('confirmation.howHeading')}</h2>
        <HowToGetSampled order={data} />
      </section>
      <p>{t('confirmation.resultsHint')}</p>
      <ul className="link-list">
        <li>
          <Link to="/bestallningar">{t('orders.ongoingTitle')}</Link>
        </li>
        <li>
          <Link to={`/bestallningar/${data.order_id}`}>{t('confirmation.toOrder')}</Link>
        </li>
      </ul>
    </>
  );
}
