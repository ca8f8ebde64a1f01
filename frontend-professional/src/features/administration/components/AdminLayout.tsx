import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { ADMIN_SECTIONS } from '../sections';

/** Administration: a side menu of the sub-pages next to the page itself. */
export function AdminLayout() {
  const { t } = useTranslation();
  return (
    <div className="admin">
      <nav className="admin__nav" aria-label={t('admin.navLabel')}>
        <ul>
          {ADMIN_SECTIONS.map((section) => (
            <li key={section.path}>
              <NavLink to={`/admin/${section.path}`}>{t(`admin.sections.${section.key}.title`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin__content">
        <Outlet />
      </div>
    </div>
  );
}
