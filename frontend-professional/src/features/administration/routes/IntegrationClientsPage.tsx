import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDate } from '../../../lib/format';
import { useIntegrationClients } from '../api/integrationClients';
import type { IntegrationClient } from '../api/integrationClients';
import { Notice } from '../components/Notice';

/** The client's laboratories, sampling units and care units, each kind on a line of its own. */
function Organisation({ client }: { client: IntegrationClient }) {
  const { t } = useTranslation();
  const groups = [
    { key: 'laboratories', label: t('admin.ic.laboratoriesShort'), units: client.laboratories },
    { key: 'samplingUnits', label: t('admin.ic.samplingUnitsShort'), units: client.sampling_units },
    { key: 'careUnits', label: t('admin.ic.careUnitsShort'), units: client.care_units },
  ].filter((g) => g.units.length > 0);
  return (
    <ul className="inline-list">
      {groups.map((g) => (
        <li key={g.key}>
          {g.label}: {g.units.map((u) => u.name).join(', ')}
        </li>
      ))}
    </ul>
  );
}

export function IntegrationClientsPage() {
  const { t, i18n } = useTranslation();
  const title = t('admin.sections.integrationClients.title');
  usePageTitle(title);
  const clients = useIntegrationClients();
  return (
    <>
      <h1>{title}</h1>
      <p>{t('admin.ic.intro')}</p>
      <Notice />
      <p>
        <Link className="button button--primary" to="/admin/integrationsklienter/ny">
          {t('admin.ic.new')}
        </Link>
      </p>
      {clients.isPending ? (
        <Loading />
      ) : clients.isError ? (
        <ErrorAlert error={clients.error} onRetry={() => void clients.refetch()} />
      ) : clients.data.length === 0 ? (
        <p>{t('admin.ic.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.ic.name')}</th>
                <th scope="col">{t('admin.ic.organisation')}</th>
                <th scope="col">{t('admin.ic.scopes')}</th>
                <th scope="col">{t('admin.status')}</th>
                <th scope="col">{t('admin.ic.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {clients.data.map((client) => (
                <tr key={client.client_id}>
                  <td>
                    <Link to={`/admin/integrationsklienter/${encodeURIComponent(client.client_id)}`}>{client.name}</Link>
                    <br />
                    <span className="muted mono">{client.client_id}</span>
                  </td>
                  <td>
                    <Organisation client={client} />
                  </td>
                  <td>
                    <span className="mono">{client.scopes.join(', ')}</span>
                  </td>
                  <td>
                    {client.retired ? (
                      <span className="tag tag--retired">{t('admin.decommissioned')}</span>
                    ) : (
                      t('admin.active')
                    )}
                  </td>
                  <td className="nowrap">{formatDate(client.created_at, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
