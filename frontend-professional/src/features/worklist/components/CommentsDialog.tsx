import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { WorklistItemOut } from '@shared/client/types.gen';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ErrorSummary, TextAreaField, formErrors } from '@shared/forms';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { formatDateTime } from '../../../lib/format';
import { useAddComment, useWorklistComments } from '../api/worklist';

const FIELD_ID = 'worklist-comment';
const MAX_LENGTH = 2000;

interface Props {
  careUnitHsaId: string;
  item: WorklistItemOut;
  onClose: () => void;
}

/**
 * Kommentarer: every comment the unit wrote on the result, with author and time, and a new one.
 * A react-aria modal dialog (focus kept inside, Escape closes); the caller renders it only while
 * open and returns focus to the button that opened it.
 */
export function CommentsDialog({ careUnitHsaId, item, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const thread = useWorklistComments(careUnitHsaId, item.id);
  const adding = useAddComment(careUnitHsaId, item.id);
  const [text, setText] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const patient = item.patient.name ?? item.patient.personnummer;

  const errors = formErrors({
    fields: ['text'] as const,
    labels: { text: t('worklist.comments.new') },
    idOf: () => FIELD_ID,
    client: { text: clientError },
    server: adding.error,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    if (!text.trim()) return setClientError(t('worklist.comments.required'));
    setClientError(undefined);
    adding.mutate(text, { onSuccess: () => setText('') });
  };

  return (
    <ModalOverlay
      className="dialog-backdrop"
      isOpen
      isDismissable
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <Modal>
        <Dialog className="dialog dialog--wide">
          <Heading slot="title" level={2} className="dialog__title">
            {t('worklist.comments.title', { patient })}
          </Heading>
          <p className="muted">
            {item.product_name} · {item.patient.personnummer}
          </p>
          {thread.isPending ? (
            <Loading />
          ) : thread.isError ? (
            <ErrorAlert error={thread.error} onRetry={() => void thread.refetch()} />
          ) : thread.data.comments.length === 0 ? (
            <p>{t('worklist.comments.none')}</p>
          ) : (
            <ol className="comment-list" aria-label={t('worklist.comments.listLabel')}>
              {thread.data.comments.map((comment) => (
                <li key={comment.id} className="comment">
                  <p className="comment__meta">
                    {t('worklist.comments.by', {
                      name: comment.author_name ?? comment.author_hsa_id,
                      hsaId: comment.author_hsa_id,
                      at: formatDateTime(comment.created_at, i18n.language),
                    })}
                  </p>
                  <p className="comment__text">{comment.text}</p>
                </li>
              ))}
            </ol>
          )}
          <form noValidate onSubmit={onSubmit}>
            <ErrorSummary items={errors.summary} focusKey={attempt} />
            <TextAreaField
              id={FIELD_ID}
              label={t('worklist.comments.new')}
              value={text}
              onChange={setText}
              rows={3}
              maxLength={MAX_LENGTH}
              error={errors.byField.text}
              required
            />
            <ProblemAlert error={adding.error} />
            {adding.isSuccess && (
              <p role="status" className="muted">
                {t('worklist.comments.saved')}
              </p>
            )}
            <div className="button-row">
              <button type="submit" className="button button--primary" disabled={adding.isPending}>
                {t('worklist.comments.save')}
              </button>
              <Button className="button button--secondary" onPress={onClose}>
                {t('worklist.comments.close')}
              </Button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
