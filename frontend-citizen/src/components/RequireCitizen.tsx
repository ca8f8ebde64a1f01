import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { LoginButton } from './LoginButton';
import { SessionExpiredNotice } from '@shared/components/SessionExpiredNotice';
import { usePageTitle } from './usePageTitle';

function LoginRequired() {
  const { t } = useTranslation();
  const location = useLocation();
  usePageTitle(t('auth.loginRequired.title'));
  return (
    <>
      <h1>{t('auth.loginRequired.title')}</h1>
      <SessionExpiredNotice />
      <p>{t('auth.loginRequired.text')}</p>
      <LoginButton returnTo={`${location.pathname}${location.search}`} />
    </>
  );
}

/** Pages for the logged-in citizen; others are asked to log in and come back to the same URL. */
export function RequireCitizen() {
  const { session, isLoading, isError } = useSession();
  if (isLoading) return <Loading />;
  if (isError) return <ErrorAlert error={null} onRetry={() => window.location.reload()} />;
  const loggedIn = session?.authenticated === true && session.kind === 'citizen';
  return loggedIn ? <Outlet /> : <LoginRequired />;
}
