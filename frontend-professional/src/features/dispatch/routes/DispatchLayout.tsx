import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useOutletContext } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { UnitModuleHeader } from '../../../components/UnitModuleHeader';
import { usePageTitle } from '../../../components/usePageTitle';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';
import type { DispatchKind } from '../api/dispatch';

export const DISPATCH_PATHS: Record<DispatchKind, string> = {
  labels: '/etiketter',
  order_receipt: '/ordermottagning',
};

export interface DispatchContext {
  kind: DispatchKind;
  careUnitHsaId: string;
  /** Exportera is offered only with the export permission at this unit (manual 4.3). */
  canExport: boolean;
  /** The server's network printers are listed to those with Provtagning. */
  networkPrinters: boolean;
}

export function useDispatchContext() {
  return useOutletContext<DispatchContext>();
}

/** Etiketter (manual 4.3) and Ordermottagning (4.4): the tabs Utskrift and Batchbearbetning. */
export function DispatchLayout({ kind }: { kind: DispatchKind }) {
  const { t } = useTranslation();
  const title = t(`dispatch.${kind}.title`);
  usePageTitle(title);
  const me = useStaffMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  const unit = selectedAssignment(me.data);
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;
  const has = (module: string) => me.data.modules.some((m) => m.module === module);
  const context: DispatchContext = {
    kind,
    careUnitHsaId: unit.care_unit_hsa_id,
    canExport: has('export'),
    networkPrinters: has('sampling'),
  };
  const base = DISPATCH_PATHS[kind];
  return (
    <>
      <UnitModuleHeader
        title={title}
        unitText={t(`dispatch.${kind}.intro`, { unit: unit.care_unit_name })}
        tabsLabel={t('dispatch.tabsLabel', { module: title })}
        tabs={[
          { path: base, end: true, label: t('dispatch.tabs.print') },
          { path: `${base}/batch`, label: t('dispatch.tabs.batch') },
        ]}
      />
      <Outlet context={context} />
    </>
  );
}
