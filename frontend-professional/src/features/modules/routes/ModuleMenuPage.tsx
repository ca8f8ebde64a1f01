import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { selectedAssignment, useStaffMe } from '../../../session/useStaffMe';
import { ModuleCard } from '../components/ModuleCard';
import { menuModules } from '../moduleCodes';

export function ModuleMenuPage() {
  const { t } = useTranslation();
  const me = useStaffMe();
  usePageTitle(t('modules.title'));

  if (me.isPending) return <Loading />;
  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;

  const unit = selectedAssignment(me.data);
  if (!unit) return <Navigate to="/valj-vardenhet" replace />;
  const modules = menuModules(me.data.modules);

  return (
    <>
      <h1>{t('modules.title')}</h1>
      <p>
        {t('modules.careUnit', { unit: unit.care_unit_name, careGiver: unit.care_giver_name })}{' '}
        <Link to="/valj-vardenhet">{t('modules.changeCareUnit')}</Link>
      </p>
      {modules.length === 0 ? (
        <div className="alert" role="status">
          <p>{t('modules.none')}</p>
        </div>
      ) : (
        <>
          <p className="muted">{t('modules.comingSoon')}</p>
          <ul className="module-grid">
            {modules.map((m) => (
              <ModuleCard key={m} module={m} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
