import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
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
  usePageTitle(t('noPermission.title'));
  return (
    <>
      <h1>{t('noPermission.title')}</h1>
      <div className="alert alert--error" role="alert">
        <p>{t('noPermission.text')}</p>
      </div>
      <p>
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link> · <Link to="/">{t('notFound.toStart')}</Link>
      </p>
    </>
  );
}
