import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { LoginButton } from '../../../components/LoginButton';
import { SessionExpiredNotice } from '@shared/components/SessionExpiredNotice';
import { usePageTitle } from '../../../components/usePageTitle';
import { useSession } from '../../../session/SessionProvider';
import { fullName, useCitizenProfile } from '../../../session/useCitizenProfile';
import { LoginFailure } from '../components/LoginFailure';
import { NewResults } from '../components/NewResults';
import { ProfileSummary } from '../components/ProfileSummary';
import { ServiceMenu } from '../components/ServiceMenu';

export function StartPage() {
  const { t } = useTranslation();
  const { session, isLoading, isError } = useSession();
  const profile = useCitizenProfile();
  const [params] = useSearchParams();
  usePageTitle(null);

  if (isLoading) return <Loading />;
  if (isError) return <ErrorAlert error={null} onRetry={() => window.location.reload()} />;

  const loggedIn = session?.authenticated === true && session.kind === 'citizen';
  if (!loggedIn) {
    return (
      <>
        <h1>{t('start.title')}</h1>
        <LoginFailure reason={params.get('inloggning')} />
        <SessionExpiredNotice />
        <p className="lead">{t('start.intro')}</p>
        <p>{t('start.loginHint')}</p>
        <LoginButton returnTo="/" />
      </>
    );
  }

  return (
    <>
      <h1>{t('start.title')}</h1>
      {profile.isPending && <Loading />}
      {profile.isError && <ErrorAlert error={profile.error} onRetry={() => void profile.refetch()} />}
      {profile.data && <p className="lead">{t('start.greeting', { name: fullName(profile.data) })}</p>}
      <NewResults />
      {profile.data && <ProfileSummary profile={profile.data} />}
      <ServiceMenu />
    </>
  );
}
