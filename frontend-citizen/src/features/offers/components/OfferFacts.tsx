import { useTranslation } from 'react-i18next';
import type { OfferSummary } from '../api/offers';

/** Products, sampling method and region of an offer, as on its card and its details page. */
export function OfferFacts({ offer, showRegion }: { offer: OfferSummary; showRegion: boolean }) {
  const { t } = useTranslation();
  return (
    <dl className="facts facts--compact">
      <div>
        <dt>{t('offers.products')}</dt>
        <dd>{offer.products.map((p) => p.name).join(', ')}</dd>
      </div>
      <div>
        <dt>{t('offers.method')}</dt>
        <dd>{t(`samplingMethod.${offer.sampling_method}`)}</dd>
      </div>
      {showRegion && (
        <div>
          <dt>{t('offers.region')}</dt>
          <dd>{offer.region.name}</dd>
        </div>
      )}
    </dl>
  );
}
