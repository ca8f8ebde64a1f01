import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Outlet, useOutletContext } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';

export const WORKLIST_TABS = [
  { path: '/arbetslista', key: 'active', end: true },
  { path: '/arbetslista/arkiverade', key: 'archived', end: false },
] as const;

export interface WorklistContext {
  careUnitHsaId: string;
  careUnitName: string;
}

export function useWorklistContext() {
  return useOutletContext<WorklistContext>();
}

/** Arbetslista (manual 4.6): the unit's followed results, active and archived. */
export function WorklistLayout() {
  const { t } = useTranslation();
  usePageTitle(t('worklist.title'));
  const me = useStaffMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  const unit = selectedAssignment(me.data);
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;
  const context: WorklistContext = { careUnitHsaId: unit.care_unit_hsa_id, careUnitName: unit.care_unit_name };
  return (
    <>
      <h1>{t('worklist.title')}</h1>
      <p>
        {t('worklist.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      <nav className="tabs" aria-label={t('worklist.tabsLabel')}>
        <ul>
          {WORKLIST_TABS.map((tab) => (
            <li key={tab.key}>
              <NavLink to={tab.path} end={tab.end}>
                {t(`worklist.tabs.${tab.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet context={context} />
    </>
  );
}
