import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { formatDate, formatTime } from '../../../lib/format';
import { useBookings } from '../api/sampling';
import { statusKey } from '../../../lib/orderStatus';
import { OrderFlags } from '../components/OrderFlags';
import { useSamplingContext } from './SamplingLayout';

/** Bokade tider: today's bookings at this sampling unit, who is booked when. */
export function BookingsPage() {
  const { t, i18n } = useTranslation();
  const { careUnitHsaId } = useSamplingContext();
  const bookings = useBookings(careUnitHsaId);
  if (bookings.isPending) return <Loading />;
  if (bookings.isError) return <ErrorAlert error={bookings.error} onRetry={() => void bookings.refetch()} />;
  const { data } = bookings;
  return (
    <>
      <h2>{t('sampling.tabs.bookings')}</h2>
      {data.bookings.length === 0 ? (
        <p>{t('sampling.bookings.none', { unit: data.sampling_unit.name, day: formatDate(data.day, i18n.language) })}</p>
      ) : (
        <div className="table-scroll">
          <table className="table table--dense">
            <caption>
              {t('sampling.bookings.caption', { unit: data.sampling_unit.name, day: formatDate(data.day, i18n.language) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('sampling.columns.time')}</th>
                <th scope="col">{t('sampling.columns.patient')}</th>
                <th scope="col">{t('sampling.columns.personnummer')}</th>
                <th scope="col">{t('sampling.columns.offer')}</th>
                <th scope="col">{t('sampling.columns.status')}</th>
                <th scope="col">{t('sampling.columns.open')}</th>
              </tr>
            </thead>
            <tbody>
              {data.bookings.map(({ order, patient }) => (
                <tr key={order.id}>
                  <td className="nowrap">{order.booked_start ? formatTime(order.booked_start, i18n.language) : ''}</td>
                  <td>{patient.name ?? t('sampling.unknownName')}</td>
                  <td className="nowrap">{patient.personnummer}</td>
                  <td>
                    {order.offer_name} <OrderFlags order={order} />
                  </td>
                  <td>{t(statusKey(order.status))}</td>
                  <td>
                    <Link to={`/provtagning/bestallning/${order.id}`}>
                      {t('sampling.openFor', { name: patient.name ?? patient.personnummer })}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
