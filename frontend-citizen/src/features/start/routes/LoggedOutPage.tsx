import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { Loading } from '@shared/components/Loading';
import { LoginButton } from '../../../components/LoginButton';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import { useSession } from '../../../session/SessionProvider';

/** Where logging out lands: confirms it, with advice for shared computers. */
export function LoggedOutPage() {
  const { t } = useTranslation();
  const { session, isLoading } = useSession();
  usePageTitle(t('loggedOut.title'));
  if (isLoading) return <Loading />;
  if (session?.authenticated === true) return <Navigate to="/" replace />;
  return (
    <>
      <PageHeading>{t('loggedOut.title')}</PageHeading>
      <div className="alert alert--success" role="status">
        <p>{t('loggedOut.text')}</p>
      </div>
      <p>{t('loggedOut.sharedComputer')}</p>
      <p>{t('loggedOut.loginAgain')}</p>
      <LoginButton returnTo="/" />
    </>
  );
}
