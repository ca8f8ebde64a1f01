import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { useCreateIntegrationClient } from '../api/integrationClients';
import type { OneTimeSecret } from '../api/integrationClients';
import { IntegrationClientForm } from '../components/IntegrationClientForm';
import { SecretDialog } from '../components/SecretDialog';

/**
 * A new integration client. Its secret is shown once, in a dialog on this page; closing the
 * dialog forgets it and goes on to the client's page (the secret never goes into router state).
 */
export function IntegrationClientCreatePage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.ic.newTitle'));
  const navigate = useNavigate();
  const [secret, setSecret] = useState<OneTimeSecret | null>(null);
  const create = useCreateIntegrationClient(setSecret);

  const close = () => {
    const created = secret;
    setSecret(null);
    if (created) {
      void navigate(`/admin/integrationsklienter/${encodeURIComponent(created.clientId)}`, {
        state: { notice: t('admin.ic.created', { name: created.name }) },
      });
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/integrationsklienter">{t('admin.sections.integrationClients.title')}</Link>
      </p>
      <h1>{t('admin.ic.newTitle')}</h1>
      <ProblemAlert error={create.error} />
      <IntegrationClientForm
        form="ic-new"
        saving={create.isPending || create.isSuccess}
        serverError={create.error}
        submitLabel={t('admin.ic.create')}
        onSave={(settings, regionCode) => create.mutate({ ...settings, region_code: regionCode })}
      />
      {secret && <SecretDialog secret={secret} onClose={close} />}
    </>
  );
}
