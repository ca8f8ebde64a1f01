import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { useCareUnits } from '../api/careUnits';
import { Notice } from '../components/Notice';
import { useAdminScope } from '../useAdminScope';

export function CareUnitsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.sections.careUnits.title'));
  const units = useCareUnits();
  // New care units are placed in a region: for national and regional administrators.
  const { regional } = useAdminScope();
  return (
    <>
      <h1>{t('admin.sections.careUnits.title')}</h1>
      <Notice />
      {regional && (
        <p>
          <Link className="button button--primary" to="/admin/vardenheter/ny">
            {t('admin.cu.new')}
          </Link>
        </p>
      )}
      {units.isPending ? (
        <Loading />
      ) : units.isError ? (
        <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />
      ) : units.data.length === 0 ? (
        <p>{t('admin.cu.none')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('admin.sections.careUnits.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.cu.name')}</th>
              <th scope="col">{t('admin.hsaId')}</th>
              <th scope="col">{t('admin.region')}</th>
              <th scope="col">{t('admin.cu.careGiver')}</th>
              <th scope="col">{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {units.data.map((unit) => (
              <tr key={unit.hsa_id}>
                <td>
                  <Link to={`/admin/vardenheter/${encodeURIComponent(unit.hsa_id)}`}>{unit.name}</Link>
                </td>
                <td>{unit.hsa_id}</td>
                <td>{unit.region_name}</td>
                <td>{unit.care_giver_name}</td>
                <td>{unit.retired ? t('admin.retired') : t('admin.active')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
