import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { NoPermissionPage } from '../components/NoPermissionPage';
import { selectedAssignment, useStaffMe } from './useStaffMe';

/**
 * Renders a module only when the backend lists it for the selected care unit; otherwise a
 * clear "no permission" page (the API would answer 403 anyway).
 */
export function RequireModule({ module, children }: { module: string; children: ReactNode }) {
  const me = useStaffMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  if (!selectedAssignment(me.data)) return <Navigate to="/valj-vardenhet" replace />;
  if (!me.data.modules.some((m) => m.module === module)) return <NoPermission />;
  return <>{children}</>;
}

function NoPermission() {
  const { t } = useTranslation();
  return (
    <NoPermissionPage
      text={t('noPermission.text')}
      links={
        <>
          <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link> · <Link to="/">{t('notFound.toStart')}</Link>
        </>
      }
    />
  );
}
