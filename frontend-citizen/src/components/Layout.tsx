import { useTranslation } from 'react-i18next';
import { Layout as SharedLayout } from '@shared/components/Layout';
import { useSession } from '../session/SessionProvider';
import { fullName, useCitizenProfile } from '../session/useCitizenProfile';

export function Layout() {
  const { t } = useTranslation();
  const { session } = useSession();
  const loggedIn = session?.authenticated === true && session.kind === 'citizen';
  const profile = useCitizenProfile();

  return (
    <SharedLayout
      headerBlock="site-header"
      logoutButtonClass="button--header"
      loggedIn={loggedIn}
      userItems={
        loggedIn &&
        profile.data && (
          <li className="site-header__user">{t('header.loggedInAs', { name: fullName(profile.data) })}</li>
        )
      }
    />
  );
}
