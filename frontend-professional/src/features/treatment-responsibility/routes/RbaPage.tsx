import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { pageNavigation, staffLoginUrl } from '../../../lib/navigation';
import { useSession } from '../../../session/SessionProvider';
import { isStaffSession, selectedAssignment, useStaffMe } from '../../../session/useStaffMe';

export const RBA_PATH = '/pro/rba';
const MODULE_PATH = '/behandlingsansvar';

/**
 * /rba (manual 1.4): the short link other services use to reach Behandlingsansvar. It needs no
 * patient context: after the SITHS login (started here when needed, returning here) and the
 * choice of an assignment when none is chosen, the module opens.
 */
export function RbaPage() {
  const { t } = useTranslation();
  usePageTitle(t('treatment.title'));
  const { session, isLoading, isError } = useSession();
  const loggedIn = isStaffSession(session);
  const me = useStaffMe();

  useEffect(() => {
    if (!isLoading && !isError && !loggedIn) pageNavigation.assign(staffLoginUrl(RBA_PATH));
  }, [isLoading, isError, loggedIn]);

  if (isError) return <ErrorAlert error={null} onRetry={() => window.location.reload()} />;
  if (isLoading || (loggedIn && me.isPending)) return <Loading />;
  if (!loggedIn) {
    return (
      <>
        <h1>{t('treatment.title')}</h1>
        <p role="status">{t('treatment.toLogin')}</p>
      </>
    );
  }
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Loading />;
  if (!selectedAssignment(me.data)) {
    return <Navigate to="/valj-vardenhet" replace state={{ returnTo: MODULE_PATH }} />;
  }
  return <Navigate to={MODULE_PATH} replace />;
}
