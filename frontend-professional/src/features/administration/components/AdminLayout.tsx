import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { sectionsFor } from '../sections';
import { useAdminScope } from '../useAdminScope';

/** Administration: a side menu of the sub-pages next to the page itself. */
export function AdminLayout() {
  const { t } = useTranslation();
  const scope = useAdminScope();
  const sections = sectionsFor(scope);
  return (
    <div className="admin">
      <nav className="admin__nav" aria-label={t('admin.navLabel')}>
        <ul>
          {sections.map((section) => (
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
