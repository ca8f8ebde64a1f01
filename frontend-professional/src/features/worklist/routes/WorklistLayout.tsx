import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useOutletContext } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { UnitModuleHeader } from '../../../components/UnitModuleHeader';
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
      <UnitModuleHeader
        title={t('worklist.title')}
        unitText={t('worklist.careUnit', { unit: unit.care_unit_name })}
        tabsLabel={t('worklist.tabsLabel')}
        tabs={WORKLIST_TABS.map((tab) => ({ path: tab.path, end: tab.end, label: t(`worklist.tabs.${tab.key}`) }))}
      />
      <Outlet context={context} />
    </>
  );
}
