import { useTranslation } from 'react-i18next';
import type { SamplingPlace } from '../api/offers';

export function SamplingPlaceText({ place }: { place: SamplingPlace }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="place__address">
        {place.street}, {place.postal_code} {place.city}
      </span>
      {place.opening_hours && (
        <>
          <br />
          <span className="place__hours">
            {t('order.openingHours', { hours: place.opening_hours })}
          </span>
        </>
      )}
    </>
  );
}
