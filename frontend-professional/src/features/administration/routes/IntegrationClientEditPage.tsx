import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../../lib/format';
import {
  useIntegrationClient,
  useRetireIntegrationClient,
  useUpdateIntegrationClient,
} from '../api/integrationClients';
import { EditPage } from '../components/EditPage';
import { IntegrationClientForm } from '../components/IntegrationClientForm';
import { RetiredTag } from '../components/RetiredTag';
import { RotateSecretSection } from '../components/RotateSecretSection';

export function IntegrationClientEditPage() {
  const { t, i18n } = useTranslation();
  const { clientId = '' } = useParams();
  const listTitle = t('admin.sections.integrationClients.title');
  // Loaded on its own (GET /api/admin/integration-clients/{id}) for the ETag that every change sends.
  const query = useIntegrationClient(clientId);
  return (
    <EditPage
      query={query}
      update={useUpdateIntegrationClient(clientId)}
      retire={useRetireIntegrationClient(clientId)}
      list={{ to: '/admin/integrationsklienter', title: listTitle }}
      heading={(client) => client.name}
      meta={(client) => (
        <>
          {t('admin.ic.meta', {
            clientId: client.client_id,
            region: client.region_code,
            version: client.version,
            rotatedAt: formatDateTime(client.secret_rotated_at, i18n.language),
          })}
          {client.retired && <RetiredTag />}
        </>
      )}
      notFound={
        <>
          <h1>{t('admin.ic.notFound')}</h1>
          <Link to="/admin/integrationsklienter">{listTitle}</Link>
        </>
      }
      retiredNote={t('admin.ic.retiredNote')}
      saved={() => t('admin.saved')}
      retiring={{
        title: t('admin.ic.retireTitle'),
        text: t('admin.ic.retireText'),
        question: (client) => t('admin.ic.retireConfirm', { name: client.name }),
        done: t('admin.ic.retired'),
      }}
    >
      {({ item: client, etag, save, saving, serverError }) => (
        <>
          <section aria-labelledby="ic-settings-heading">
            <h2 id="ic-settings-heading">{t('admin.ic.settings')}</h2>
            <IntegrationClientForm
              key={etag}
              form="ic"
              existing={client}
              readOnly={client.retired}
              saving={saving}
              serverError={serverError}
              submitLabel={t('admin.save')}
              // The region is the client's own and is not sent with a change.
              onSave={(settings) => save(settings)}
            />
          </section>
          {!client.retired && (
            <RotateSecretSection client={client} etag={etag} onReload={() => void query.refetch()} />
          )}
        </>
      )}
    </EditPage>
  );
}
