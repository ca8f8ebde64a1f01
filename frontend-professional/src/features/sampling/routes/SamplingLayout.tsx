import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Outlet, useOutletContext } from 'react-router';
import type { SearchOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
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
      <h1>{t('sampling.title')}</h1>
      <p>
        {t('sampling.careUnit', { unit: unit.care_unit_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      <nav className="tabs" aria-label={t('sampling.tabsLabel')}>
        <ul>
          {SAMPLING_TABS.map((tab) => (
            <li key={tab.key}>
              <NavLink to={tab.path} end={tab.end}>
                {t(`sampling.tabs.${tab.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet context={context} />
    </>
  );
}
