import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../../lib/format';
import type { InboxMessage } from '../api/inbox';

interface Props {
  message: InboxMessage;
  onRead: (messageId: string) => void;
  marking: boolean;
}

/**
 * One message of Inkorg: what happened (a new, corrected or still unread result) and for which
 * order — never the result itself; the link opens the order, where the result is read. Opening it
 * marks the message read.
 */
export function InboxMessageItem({ message, onRead, marking }: Props) {
  const { t, i18n } = useTranslation();
  const unread = !message.read;
  const headingId = `message-${message.id}`;
  return (
    <li className={unread ? 'card inbox-item inbox-item--unread' : 'card inbox-item'} aria-labelledby={headingId}>
      <h2 id={headingId} className="inbox-item__title">
        {t(`inbox.kind.${message.kind}.subject`)}
        {unread && (
          <>
            {' '}
            <span className="badge">{t('inbox.unread')}</span>
          </>
        )}
      </h2>
      <p className="inbox-item__meta">
        {t('inbox.received', { date: formatDateTime(message.created_at, i18n.language) })}
      </p>
      <p>{t(`inbox.kind.${message.kind}.body`, { offer: message.offer_name })}</p>
      <p className="inbox-item__actions">
        <Link to={`/bestallningar/${message.order_id}`} onClick={() => unread && onRead(message.id)}>
          {t('inbox.open', { offer: message.offer_name })}
        </Link>
        {unread && (
          <button
            type="button"
            className="button button--secondary"
            aria-disabled={marking}
            onClick={() => !marking && onRead(message.id)}
          >
            {t('inbox.markRead')}{' '}
            <span className="visually-hidden">
              {t(`inbox.kind.${message.kind}.subject`)}, {message.offer_name}
            </span>
          </button>
        )}
      </p>
    </li>
  );
}
