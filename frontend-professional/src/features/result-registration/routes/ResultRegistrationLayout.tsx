import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Outlet, useOutletContext } from 'react-router';
import type { RegistrationSearchOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
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
      <h1>{t('resultRegistration.title')}</h1>
      <p>
        {t('resultRegistration.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      <nav className="tabs" aria-label={t('resultRegistration.tabsLabel')}>
        <ul>
          {REGISTRATION_TABS.map((tab) => (
            <li key={tab.key}>
              <NavLink to={tab.path} end={tab.end}>
                {t(`resultRegistration.tabs.${tab.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet context={context} />
    </>
  );
}
