import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { useOffers } from '../api/offers';
import { Notice } from '../components/Notice';

export function OffersPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.sections.offers.title'));
  const offers = useOffers();
  return (
    <>
      <h1>{t('admin.sections.offers.title')}</h1>
      <Notice />
      <p>
        <Link className="button button--primary" to="/admin/erbjudanden/ny">
          {t('admin.offers.new')}
        </Link>
      </p>
      {offers.isPending ? (
        <Loading />
      ) : offers.isError ? (
        <ErrorAlert error={offers.error} onRetry={() => void offers.refetch()} />
      ) : offers.data.length === 0 ? (
        <p>{t('admin.offers.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">{t('admin.sections.offers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.offers.catalogId')}</th>
                <th scope="col">{t('admin.offers.name')}</th>
                <th scope="col">{t('admin.region')}</th>
                <th scope="col">{t('admin.offers.visibility')}</th>
                <th scope="col">{t('admin.offers.samplingMethod')}</th>
                <th scope="col">{t('admin.offers.version')}</th>
                <th scope="col">{t('admin.status')}</th>
              </tr>
            </thead>
            <tbody>
              {offers.data.map((offer) => (
                <tr key={offer.catalog_id}>
                  <td>{offer.catalog_id}</td>
                  <td>
                    <Link to={`/admin/erbjudanden/${encodeURIComponent(offer.catalog_id)}`}>{offer.name}</Link>
                  </td>
                  <td>{offer.region_code}</td>
                  <td>{t(`visibility.${offer.visibility}`)}</td>
                  <td>{t(`samplingMethod.${offer.sampling_method}`)}</td>
                  <td className="numeric">{offer.version}</td>
                  <td>{offer.retired ? t('admin.retired') : t('admin.active')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
