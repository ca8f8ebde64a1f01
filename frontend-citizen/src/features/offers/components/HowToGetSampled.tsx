import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format';
import { fullName, useCitizenProfile } from '../../../session/useCitizenProfile';
import type { OrderDetails } from '../api/offers';
import { SamplingPlaceText } from './SamplingPlaceText';

function DropInPlaces({ places }: { places: OrderDetails['sampling_places'] }) {
  const { t } = useTranslation();
  if (places.length === 0) {
    return <p>{t('confirmation.dropInNoPlaces')}</p>;
  }
  return (
    <>
      <p>{t('confirmation.dropIn')}</p>
      <ul className="place-list">
        {places.map((place) => (
          <li key={place.id} className="card">
            <h3>{place.name}</h3>
            <p>
              <SamplingPlaceText place={place} />
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** What the citizen does next, by sampling method (manual 3.2: "information om hur … provtas"). */
export function HowToGetSampled({ order }: { order: OrderDetails }) {
  const { t, i18n } = useTranslation();
  const profile = useCitizenProfile();
  switch (order.sampling_method) {
    case 'site_booking':
      return order.booking ? (
        <>
          <p>{t('confirmation.booked')}</p>
          <dl className="facts">
            <div>
              <dt>{t('confirmation.time')}</dt>
              <dd>{formatDateTime(order.booking.starts_at, i18n.language)}</dd>
            </div>
            <div>
              <dt>{t('confirmation.place')}</dt>
              <dd>
                {order.booking.sampling_unit_name}
                <br />
                {order.booking.address}
              </dd>
            </div>
          </dl>
          <p>{t('confirmation.bookedCancelHint')}</p>
        </>
      ) : (
        <p>{t('confirmation.noBooking')}</p>
      );
    case 'home_kit': {
      const address = order.delivery_address;
      return (
        <>
          <p>{t('confirmation.kitSentTo')}</p>
          {address && (
            <p className="address">
              {profile.data && (
                <>
                  {fullName(profile.data)}
                  <br />
                </>
              )}
              {address.care_of && (
                <>
                  {t('profile.careOf', { name: address.care_of })}
                  <br />
                </>
              )}
              {address.street}
              <br />
              {address.postal_code} {address.city}
            </p>
          )}
          <p>{t('confirmation.kitInstructions')}</p>
        </>
      );
    }
    case 'site_drop_in':
      return <DropInPlaces places={order.sampling_places} />;
    default:
      return <p>{t('confirmation.anonymousKit')}</p>;
  }
}
