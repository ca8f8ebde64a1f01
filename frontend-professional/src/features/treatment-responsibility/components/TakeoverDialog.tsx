import type { ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

interface Props {
  children: ReactNode;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Bekräfta övertagande: a react-aria modal dialog (focus kept inside, Escape cancels), focus
 * first on the cancel button; the caller renders it while asking and returns focus after.
 */
export function TakeoverDialog({ children, busy, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  return (
    <ModalOverlay
      className="dialog-backdrop"
      isOpen
      isKeyboardDismissDisabled={false}
      onOpenChange={(open) => {
        if (!open) onCancel();
      }}
    >
      <Modal>
        <Dialog className="dialog">
          <Heading slot="title" level={2} className="dialog__title">
            {t('treatment.confirm.title')}
          </Heading>
          {children}
          <div className="button-row">
            <Button className="button button--primary" onPress={onConfirm} isDisabled={busy}>
              {t('treatment.confirm.submit')}
            </Button>
            <Button autoFocus className="button button--secondary" onPress={onCancel}>
              {t('dialog.cancel')}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
