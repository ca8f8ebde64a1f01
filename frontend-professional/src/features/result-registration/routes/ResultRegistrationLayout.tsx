import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useOutletContext } from 'react-router';
import type { RegistrationSearchOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { UnitModuleHeader } from '../../../components/UnitModuleHeader';
import { usePageTitle } from '../../../components/usePageTitle';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';

export const REGISTRATION_TABS = [
  { path: '/svarsregistrering', key: 'search', end: true },
  { path: '/svarsregistrering/svarslogg', key: 'log', end: false },
] as const;

export type SearchBy = 'personnummer' | 'rid';

export interface LastSearch {
  by: SearchBy;
  value: string;
  result: RegistrationSearchOut | null;
}

export interface RegistrationContext {
  careUnitHsaId: string;
  careUnitName: string;
  /** The last search, kept while the order is opened and the user comes back. */
  search: LastSearch;
  setSearch: (search: LastSearch) => void;
}

export function useRegistrationContext() {
  return useOutletContext<RegistrationContext>();
}

/** Svarsregistrering (manual 4.5): Sök invånare och beställning, and the Svarslogg. */
export function ResultRegistrationLayout() {
  const { t } = useTranslation();
  usePageTitle(t('resultRegistration.title'));
  const me = useStaffMe();
  const [search, setSearch] = useState<LastSearch>({ by: 'personnummer', value: '', result: null });
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  const unit = selectedAssignment(me.data);
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;
  const context: RegistrationContext = {
    careUnitHsaId: unit.care_unit_hsa_id,
    careUnitName: unit.care_unit_name,
    search,
    setSearch,
  };
  return (
    <>
      <UnitModuleHeader
        title={t('resultRegistration.title')}
        unitText={t('resultRegistration.careUnit', { unit: unit.care_unit_name })}
        tabsLabel={t('resultRegistration.tabsLabel')}
        tabs={REGISTRATION_TABS.map((tab) => ({ path: tab.path, end: tab.end, label: t(`resultRegistration.tabs.${tab.key}`) }))}
      />
      <Outlet context={context} />
    </>
  );
}
