import { useId } from 'react';
import type { ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation, on react-aria-components' Modal and Dialog (role="dialog", aria-modal,
 * focus kept inside, the page behind inert, Escape cancels). Focus starts on the cancel button
 * (the safe choice); the caller renders it only while asking and returns focus to the control
 * that opened it.
 */
export function ConfirmDialog({ title, children, confirmLabel, busy, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const bodyId = useId();
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
        <Dialog className="dialog" role="dialog" aria-describedby={bodyId}>
          <Heading slot="title" level={2} className="dialog__title">
            {title}
          </Heading>
          <div id={bodyId}>{children}</div>
          <div className="button-row">
            <Button className="button button--danger" onPress={onConfirm} isDisabled={busy}>
              {confirmLabel}
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
