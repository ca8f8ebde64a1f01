import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '../../../lib/problems';
import { useCitizenProfile } from '../../../session/useCitizenProfile';
import { useOffer } from '../api/offers';
import { OrderFlow } from '../components/OrderFlow';

function OfferProblem({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const slug = problemSlug(error);
  const notFound = slug === 'offer-not-found' || (error instanceof ApiError && error.status === 404);
  const notAvailable = slug === 'offer-not-available' || (error instanceof ApiError && error.status === 403);
  usePageTitle(t('offer.title'));
  if (!notFound && !notAvailable) {
    return (
      <>
        <PageHeading>{t('offer.title')}</PageHeading>
        <ErrorAlert error={error} onRetry={onRetry} />
      </>
    );
  }
  return (
    <>
      <PageHeading>{notFound ? t('offer.notFoundTitle') : t('offer.notAvailableTitle')}</PageHeading>
      <div className="alert alert--error">
        <p>{notFound ? t('offer.notFound') : t('offer.notAvailable')}</p>
      </div>
      <p>
        <Link to="/bestall">{t('offer.toOffers')}</Link>
      </p>
    </>
  );
}

/** Deep link `/Offer/Details?offerCatalogID=…`: one offer and the guided order flow. */
export function OfferDetailsPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const catalogId = (params.get('offerCatalogID') ?? '').trim();
  const offer = useOffer(catalogId);
  const profile = useCitizenProfile();
  usePageTitle(offer.data?.name ?? t('offer.title'));

  if (!catalogId) {
    return (
      <>
        <PageHeading>{t('offer.notFoundTitle')}</PageHeading>
        <p>{t('offer.notFound')}</p>
        <p>
          <Link to="/bestall">{t('offer.toOffers')}</Link>
        </p>
      </>
    );
  }
  if (offer.isError) return <OfferProblem error={offer.error} onRetry={() => void offer.refetch()} />;
  if (profile.isError) return <ErrorAlert error={profile.error} onRetry={() => void profile.refetch()} />;
  if (!offer.data || !profile.data) return <Loading />;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/bestall">{t('offer.toOffers')}</Link>
      </p>
      <PageHeading>{offer.data.name}</PageHeading>
      <OrderFlow key={offer.data.catalog_id} offer={offer.data} profile={profile.data} />
    </>
  );
}
