import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useOutletContext } from 'react-router';
import type { SearchOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { UnitModuleHeader } from '../../../components/UnitModuleHeader';
import { usePageTitle } from '../../../components/usePageTitle';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';

export const SAMPLING_TABS = [
  { path: '/provtagning', key: 'search', end: true },
  { path: '/provtagning/bokade-tider', key: 'bookings', end: false },
  { path: '/provtagning/utskrivna', key: 'sampled', end: false },
  { path: '/provtagning/utskriftslogg', key: 'printLog', end: false },
] as const;

export interface SamplingContext {
  careUnitHsaId: string;
  /** The last search, kept while the nurse opens one of its orders and comes back. */
  search: { personnummer: string; result: SearchOut | null };
  setSearch: (search: { personnummer: string; result: SearchOut | null }) => void;
}

export function useSamplingContext() {
  return useOutletContext<SamplingContext>();
}

/** Provtagning (manual 4.2): the tabs Sök beställning, Bokade tider, Utskrivna and Utskriftslogg. */
export function SamplingLayout() {
  const { t } = useTranslation();
  usePageTitle(t('sampling.title'));
  const me = useStaffMe();
  const [search, setSearch] = useState<SamplingContext['search']>({ personnummer: '', result: null });
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  const unit = selectedAssignment(me.data);
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;
  const context: SamplingContext = { careUnitHsaId: unit.care_unit_hsa_id, search, setSearch };
  return (
    <>
      <UnitModuleHeader
        title={t('sampling.title')}
        unitText={t('sampling.careUnit', { unit: unit.care_unit_name })}
        tabsLabel={t('sampling.tabsLabel')}
        tabs={SAMPLING_TABS.map((tab) => ({ path: tab.path, end: tab.end, label: t(`sampling.tabs.${tab.key}`) }))}
      />
      <Outlet context={context} />
    </>
  );
}
