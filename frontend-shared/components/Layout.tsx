// The page frame both apps use: skip link, header with the service name and the user menu
// (language switch, the app's own items, log out), main and footer. The header's CSS block
// differs per app ('site-header' in the citizen app, 'topbar' in the professional app).
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { useSessionContext } from '../session/SessionProvider';
import { LanguageSwitch } from './LanguageSwitch';

interface Props {
  /** BEM block of the header: `<header class={block}>`, `{block}__inner`, `{block}__brand`, `{block}__nav`. */
  headerBlock: string;
  /** Class of the log-out button besides `button`. */
  logoutButtonClass: string;
  /** Whether someone is logged in to this app (shows "Log out"). */
  loggedIn: boolean;
  /** The app's own `<li>` items of the user menu, between the language switch and "Log out". */
  userItems?: ReactNode;
  /** What the app shows in the footer (e.g. where to get help); the service line by default. */
  footer?: ReactNode;
}

export function Layout({ headerBlock, logoutButtonClass, loggedIn, userItems, footer }: Props) {
  const { t } = useTranslation();
  const { logout } = useSessionContext();
  const [loggingOut, setLoggingOut] = useState(false);

  const onLogout = () => {
    setLoggingOut(true);
    void logout();
  };

  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToMain')}
      </a>
      <header className={headerBlock}>
        <div className={`container ${headerBlock}__inner`}>
          <Link to="/" className={`${headerBlock}__brand`}>
            {t('app.name')}
          </Link>
          <nav className={`${headerBlock}__nav`} aria-label={t('header.userNav')}>
            <ul className="inline-list">
              <li>
                <LanguageSwitch />
              </li>
              {userItems}
              {loggedIn && (
                <li>
                  <button
                    type="button"
                    className={`button ${logoutButtonClass}`}
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
        <div className="container">{footer ?? <p>{t('app.footer')}</p>}</div>
      </footer>
    </div>
  );
}
