import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionProvider';
import { SessionExpiredNotice } from '@shared/components/SessionExpiredNotice';
import { usePageTitle } from './usePageTitle';

/** Shown for every route while not logged in as staff. */
export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useSession();
  usePageTitle(null);
  return (
    <>
      <h1>{t('login.title')}</h1>
      <SessionExpiredNotice />
      <p className="lead">{t('login.intro')}</p>
      <p>{t('login.requirement')}</p>
      <button type="button" className="button button--primary button--large" onClick={login}>
        {t('auth.loginWithSiths')}
      </button>
    </>
  );
}
