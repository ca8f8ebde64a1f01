import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { Loading } from '../../../components/Loading';
import { LoginButton } from '../../../components/LoginButton';
import { SessionExpiredNotice } from '../../../components/SessionExpiredNotice';
import { usePageTitle } from '../../../components/usePageTitle';
import { useSession } from '../../../session/SessionProvider';

/** Deep link `/Offer/Details?offerCatalogID=…`. The offer view itself comes in a later step. */
export function OfferDetailsPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const { session, isLoading } = useSession();
  usePageTitle(t('offer.title'));

  if (isLoading) return <Loading />;
  const loggedIn = session?.authenticated === true && session.kind === 'citizen';

  return (
    <>
      <h1>{t('offer.title')}</h1>
      {loggedIn ? (
        <>
          <p>{t('offer.comingLater')}</p>
          <p>
            <Link to="/">{t('offer.toStart')}</Link>
          </p>
        </>
      ) : (
        <>
          <SessionExpiredNotice />
          <p>{t('offer.loginPrompt')}</p>
          <LoginButton returnTo={`${location.pathname}${location.search}`} />
        </>
      )}
    </>
  );
}
