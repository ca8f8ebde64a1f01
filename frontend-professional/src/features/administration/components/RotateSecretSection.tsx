import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { isStaleVersion } from '../../../lib/problems';
import { useRotateIntegrationClientSecret } from '../api/integrationClients';
import type { IntegrationClient, OneTimeSecret } from '../api/integrationClients';
import { SecretDialog } from './SecretDialog';

interface Props {
  client: IntegrationClient;
  /** The ETag the client was loaded with, sent as If-Match. */
  etag: string;
  /** Reads the client in again (after a 412). */
  onReload: () => void;
}

/**
 * "Byt hemlighet": asks first (the old secret stops working at once), rotates with If-Match and
 * shows the new secret once. The secret is kept in this component's state only, and dropped
 * when the dialog is closed or the page is left.
 */
export function RotateSecretSection({ client, etag, onReload }: Props) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [secret, setSecret] = useState<OneTimeSecret | null>(null);
  const [done, setDone] = useState(false);
  const rotate = useRotateIntegrationClientSecret(client.client_id, setSecret);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = () => window.setTimeout(() => button.current?.focus(), 0);

  const closeConfirm = () => {
    setConfirming(false);
    refocus();
  };
  const closeSecret = () => {
    setSecret(null);
    setDone(true);
    refocus();
  };

  return (
    <section aria-labelledby="rotate-heading" className="panel">
      <h2 id="rotate-heading">{t('admin.ic.rotateTitle')}</h2>
      <p>{t('admin.ic.rotateText')}</p>
      <div aria-live="polite" className="live-region">
        {done && (
          <div className="alert alert--success">
            <p>{t('admin.ic.rotated')}</p>
          </div>
        )}
      </div>
      <ProblemAlert
        error={rotate.error}
        onReload={
          isStaleVersion(rotate.error)
            ? () => {
                rotate.reset();
                onReload();
              }
            : undefined
        }
      />
      <button ref={button} type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
        {t('admin.ic.rotateTitle')}
      </button>
      {confirming && (
        <ConfirmDialog
          title={t('admin.ic.rotateTitle')}
          confirmLabel={t('admin.ic.rotateConfirmButton')}
          busy={rotate.isPending}
          onCancel={closeConfirm}
          onConfirm={() => {
            setDone(false);
            rotate.mutate(etag, {
              // The secret dialog takes over the focus; without a secret it goes back to the button.
              onSuccess: () => setConfirming(false),
              onError: closeConfirm,
            });
          }}
        >
          <p>{t('admin.ic.rotateConfirm', { name: client.name })}</p>
          <p>{t('admin.ic.rotateText')}</p>
        </ConfirmDialog>
      )}
      {secret && <SecretDialog secret={secret} onClose={closeSecret} />}
    </section>
  );
}
