import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import type { OfferSummary } from '../api/offers';
import { useOffers } from '../api/offers';
import { OfferCard } from '../components/OfferCard';

function OfferList({ offers, showRegion, empty }: { offers: OfferSummary[]; showRegion: boolean; empty: string }) {
  if (offers.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="offer-list">
      {offers.map((offer) => (
        <OfferCard key={offer.catalog_id} offer={offer} showRegion={showRegion} />
      ))}
    </ul>
  );
}

/** Ny beställning: the citizen's offers, and on request nationwide offers of other regions. */
export function OfferListPage() {
  const { t } = useTranslation();
  usePageTitle(t('offers.title'));
  const [showOther, setShowOther] = useState(false);
  const home = useOffers('home');
  const other = useOffers('other_regions', showOther);
  const otherHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (showOther) otherHeading.current?.focus();
  }, [showOther]);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/">{t('nav.toStart')}</Link>
      </p>
      <PageHeading>{t('offers.title')}</PageHeading>
      <p className="lead">{t('offers.intro')}</p>
      <section aria-labelledby="home-offers-heading">
        <h2 id="home-offers-heading">{t('offers.homeHeading')}</h2>
        {home.isPending && <Loading />}
        {home.isError && <ErrorAlert error={home.error} onRetry={() => void home.refetch()} />}
        {home.data && <OfferList offers={home.data} showRegion={false} empty={t('offers.empty')} />}
      </section>
      {showOther ? (
        <section aria-labelledby="other-offers-heading">
          <h2 id="other-offers-heading" ref={otherHeading} tabIndex={-1}>
            {t('offers.otherHeading')}
          </h2>
          <p>{t('offers.otherIntro')}</p>
          {other.isPending && <Loading />}
          {other.isError && <ErrorAlert error={other.error} onRetry={() => void other.refetch()} />}
          {other.data && <OfferList offers={other.data} showRegion empty={t('offers.otherEmpty')} />}
        </section>
      ) : (
        <p className="show-other">
          <button type="button" className="button button--secondary" onClick={() => setShowOther(true)}>
            {t('offers.showOther')}
          </button>
        </p>
      )}
    </>
  );
}
