import { useId, useState } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { OneTimeSecret } from '../api/integrationClients';

interface Props {
  secret: OneTimeSecret;
  /** The caller forgets the secret (clears its state) and returns focus. */
  onClose: () => void;
}

/**
 * An integration client's secret, shown this once after create or rotate: a modal alert dialog
 * (react-aria-components: focus kept inside, the page behind inert) with a copy button and the
 * warning that it cannot be shown again. It closes only by its button, not by Escape or a click
 * outside, so that the secret is not lost by mistake. The secret lives only in the caller's
 * state: nothing here caches or stores it.
 */
export function SecretDialog({ secret, onClose }: Props) {
  const { t } = useTranslation();
  const warningId = useId();
  const secretId = useId();
  const clientIdId = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <ModalOverlay className="dialog-backdrop" isOpen isDismissable={false} isKeyboardDismissDisabled>
      <Modal>
        <Dialog className="dialog" role="alertdialog" aria-describedby={warningId}>
          <Heading slot="title" level={2} className="dialog__title">
            {t('admin.ic.secretTitle', { name: secret.name })}
          </Heading>
          <div className="alert" id={warningId}>
            <p>
              <strong>{t('admin.ic.secretWarning')}</strong>
            </p>
            <p>{t('admin.ic.secretAdvice')}</p>
          </div>
          <div className="field">
            <label htmlFor={clientIdId}>{t('admin.ic.clientId')}</label>
            <input id={clientIdId} className="input input--mono input--large" readOnly value={secret.clientId} />
          </div>
          <div className="field">
            <label htmlFor={secretId}>{t('admin.ic.secret')}</label>
            <input
              id={secretId}
              className="input input--mono input--large"
              readOnly
              value={secret.secret}
              autoComplete="off"
              spellCheck={false}
              onFocus={(event) => event.currentTarget.select()}
            />
          </div>
          <p role="status" className="live-region">
            {copied === 'yes' ? t('admin.ic.copied') : copied === 'failed' ? t('admin.ic.copyFailed') : ''}
          </p>
          <div className="button-row">
            <Button autoFocus className="button button--primary" onPress={() => void copy()}>
              {t('admin.ic.copy')}
            </Button>
            <Button className="button button--secondary" onPress={onClose}>
              {t('admin.ic.secretClose')}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
