import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { isStaffSession, selectedAssignment, staffName, useStaffMe } from '../session/useStaffMe';
import { useHelpTexts } from './HelpTexts';
import { LanguageSwitch } from './LanguageSwitch';

export function Layout() {
  const { t } = useTranslation();
  const { session, logout } = useSession();
  const helpTexts = useHelpTexts();
  const [loggingOut, setLoggingOut] = useState(false);
  const loggedIn = isStaffSession(session);
  const me = useStaffMe();
  const unit = me.data ? selectedAssignment(me.data) : undefined;

  const onLogout = () => {
    setLoggingOut(true);
    void logout();
  };

  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToMain')}
      </a>
      <header className="topbar">
        <div className="container topbar__inner">
          <Link to="/" className="topbar__brand">
            {t('app.name')}
          </Link>
          <nav className="topbar__nav" aria-label={t('header.userNav')}>
            <ul className="inline-list">
              {loggedIn && me.data && (
                <li className="topbar__user">
                  <span>{t('header.loggedInAs', { name: staffName(me.data) })}</span>
                  {unit && <span className="topbar__unit">{t('header.careUnit', { name: unit.care_unit_name })}</span>}
                </li>
              )}
              {loggedIn && (
                <li>
                  <button
                    type="button"
                    className="button button--topbar"
                    aria-pressed={helpTexts.enabled}
                    onClick={helpTexts.toggle}
                  >
                    {t('header.helpTexts')}
                  </button>
                </li>
              )}
              <li>
                <LanguageSwitch />
              </li>
              {loggedIn && (
                <li>
                  <button
                    type="button"
                    className="button button--topbar"
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
