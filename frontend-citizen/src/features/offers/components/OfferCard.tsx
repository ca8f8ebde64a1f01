import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OfferSummary } from '../api/offers';
import { OfferFacts } from './OfferFacts';

export function offerLink(catalogId: string): string {
  return `/Offer/Details?offerCatalogID=${encodeURIComponent(catalogId)}`;
}

export function OfferCard({ offer, showRegion }: { offer: OfferSummary; showRegion: boolean }) {
  const { t } = useTranslation();
  return (
    <li className="card offer-card">
      <h3 className="offer-card__title">
        <Link to={offerLink(offer.catalog_id)}>{offer.name}</Link>
      </h3>
      {offer.visibility === 'personal' && <p className="tag">{t('offers.personal')}</p>}
      <OfferFacts offer={offer} showRegion={showRegion} />
    </li>
  );
}
