import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { fullName, useCitizenProfile } from '../session/useCitizenProfile';
import { LanguageSwitch } from './LanguageSwitch';

export function Layout() {
  const { t } = useTranslation();
  const { session, logout } = useSession();
  const [loggingOut, setLoggingOut] = useState(false);
  const loggedIn = session?.authenticated === true && session.kind === 'citizen';
  const profile = useCitizenProfile();

  const onLogout = () => {
    setLoggingOut(true);
    void logout();
  };

  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToMain')}
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <Link to="/" className="site-header__brand">
            {t('app.name')}
          </Link>
          <nav className="site-header__nav" aria-label={t('header.userNav')}>
            <ul className="inline-list">
              <li>
                <LanguageSwitch />
              </li>
              {loggedIn && profile.data && (
                <li className="site-header__user">{t('header.loggedInAs', { name: fullName(profile.data) })}</li>
              )}
              {loggedIn && (
                <li>
                  <button
                    type="button"
                    className="button button--header"
                    onClick={onLogout}
                    disabled={loggingOut}
                  >
                    {loggingOut ? t('auth.loggingOut') : t('auth.logout')}
                  </button>
                </li>
              )}
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container site-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{t('app.footer')}</p>
        </div>
      </footer>
    </div>
  );
}
