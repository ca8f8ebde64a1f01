import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { useLaboratories } from '../api/laboratories';
import { Notice } from '../components/Notice';

export function LaboratoriesPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.sections.laboratories.title'));
  const labs = useLaboratories();
  return (
    <>
      <h1>{t('admin.sections.laboratories.title')}</h1>
      <Notice />
      <p>
        <Link className="button button--primary" to="/admin/laboratorier/ny">
          {t('admin.labs.new')}
        </Link>
      </p>
      {labs.isPending ? (
        <Loading />
      ) : labs.isError ? (
        <ErrorAlert error={labs.error} onRetry={() => void labs.refetch()} />
      ) : labs.data.length === 0 ? (
        <p>{t('admin.labs.none')}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">{t('admin.sections.laboratories.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.labs.code')}</th>
              <th scope="col">{t('admin.labs.name')}</th>
              <th scope="col">{t('admin.region')}</th>
              <th scope="col">{t('admin.labs.customerCount')}</th>
              <th scope="col">{t('admin.labs.mappingCount')}</th>
              <th scope="col">{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {labs.data.map((lab) => (
              <tr key={lab.code}>
                <td>
                  <Link to={`/admin/laboratorier/${encodeURIComponent(lab.code)}`}>{lab.code}</Link>
                </td>
                <td>{lab.name}</td>
                <td>{lab.region_code}</td>
                <td className="numeric">{lab.customers.length}</td>
                <td className="numeric">{lab.mappings.length}</td>
                <td>{lab.retired ? <span className="tag tag--retired">{t('admin.decommissioned')}</span> : t('admin.active')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
