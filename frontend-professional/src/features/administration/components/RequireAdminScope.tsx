import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { NoPermissionPage } from '../../../components/NoPermissionPage';
import { useAdminScope } from '../useAdminScope';

/** Renders an administration page only for administrators with the scope it needs. */
export function RequireAdminScope({ scope, children }: { scope: 'regional' | 'national' | 'central'; children: ReactNode }) {
  const { t } = useTranslation();
  if (!useAdminScope()[scope]) {
    const text = scope === 'national' ? t('admin.dl.outsideScope') : t('admin.outsideScope');
    return <NoPermissionPage text={text} links={<Link to="/admin">{t('admin.title')}</Link>} />;
  }
  return <>{children}</>;
}
