import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { useSamplingUnits } from '../api/samplingUnits';
import { Notice } from '../components/Notice';

export function SamplingUnitsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.sections.samplingUnits.title'));
  const units = useSamplingUnits();
  return (
    <>
      <h1>{t('admin.sections.samplingUnits.title')}</h1>
      <Notice />
      <p>
        <Link className="button button--primary" to="/admin/provtagningsenheter/ny">
          {t('admin.su.new')}
        </Link>
      </p>
      {units.isPending ? (
        <Loading />
      ) : units.isError ? (
        <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />
      ) : units.data.length === 0 ? (
        <p>{t('admin.su.none')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('admin.sections.samplingUnits.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.su.name')}</th>
              <th scope="col">{t('admin.hsaId')}</th>
              <th scope="col">{t('admin.region')}</th>
              <th scope="col">{t('admin.su.city')}</th>
              <th scope="col">{t('admin.su.laboratories')}</th>
              <th scope="col">{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {units.data.map((unit) => (
              <tr key={unit.id}>
                <td>
                  <Link to={`/admin/provtagningsenheter/${unit.id}`}>{unit.name}</Link>
                </td>
                <td>{unit.hsa_id}</td>
                <td>{unit.region_code}</td>
                <td>{unit.city}</td>
                <td>{unit.laboratory_codes.join(', ')}</td>
                <td>{unit.retired ? <span className="tag tag--retired">{t('admin.decommissioned')}</span> : t('admin.active')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
