import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout as SharedLayout } from '@shared/components/Layout';
import { FormConventionsContext } from '@shared/forms';
import type { FormConventions } from '@shared/forms';
import { useSession } from '../session/SessionProvider';
import { fullName, useCitizenProfile } from '../session/useCitizenProfile';
import { SupportFooter } from './SupportFooter';

export function Layout() {
  const { t } = useTranslation();
  const { session } = useSession();
  const loggedIn = session?.authenticated === true && session.kind === 'citizen';
  const profile = useCitizenProfile();
  // This app's forms mark optional fields, and screen readers hear "Fel:" before each error.
  const conventions = useMemo<FormConventions>(
    () => ({
      errorSummaryTitle: t('form.errorSummaryTitle'),
      errorPrefix: t('form.errorPrefix'),
      optionalMark: t('form.optional'),
    }),
    [t],
  );

  return (
    <FormConventionsContext.Provider value={conventions}>
      <SharedLayout
      headerBlock="site-header"
      logoutButtonClass="button--header"
      loggedIn={loggedIn}
      footer={<SupportFooter />}
      userItems={
        loggedIn &&
        profile.data && (
          <li className="site-header__user">{t('header.loggedInAs', { name: fullName(profile.data) })}</li>
        )
      }
      />
    </FormConventionsContext.Provider>
  );
}
