import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../../components/usePageTitle';
import { sectionsFor } from '../sections';
import { useAdminScope } from '../useAdminScope';

export function AdminIndexPage() {
  const { t } = useTranslation();
  const scope = useAdminScope();
  const sections = sectionsFor(scope);
  usePageTitle(t('admin.title'));
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <p>{t('admin.intro')}</p>
      <ul className="module-grid">
        {sections.map((s) => (
          <li key={s.key} className="module-card">
            <h2>
              <Link to={`/admin/${s.path}`}>{t(`admin.sections.${s.key}.title`)}</Link>
            </h2>
            <p>{t(`admin.sections.${s.key}.description`)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
