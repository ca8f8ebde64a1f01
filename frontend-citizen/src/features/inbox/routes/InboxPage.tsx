import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { PageHeading } from '../../../components/PageHeading';
import { usePageTitle } from '../../../components/usePageTitle';
import { useInbox, useMarkMessageRead } from '../api/inbox';
import { InboxMessageItem } from '../components/InboxMessageItem';

/**
 * Inkorg (manual 3.4–3.6): a message when a result has arrived, has been corrected, or is still
 * unread after a few days; newest first, twenty at a time.
 */
export function InboxPage() {
  const { t } = useTranslation();
  usePageTitle(t('inbox.title'));
  const inbox = useInbox();
  const markRead = useMarkMessageRead();
  const first = inbox.data?.pages[0];
  const messages = inbox.data?.pages.flatMap((page) => page.items);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/">{t('nav.toStart')}</Link>
      </p>
      <PageHeading>{t('inbox.title')}</PageHeading>
      <p className="lead">{t('inbox.intro')}</p>
      {inbox.isPending && <Loading />}
      {inbox.isError && <ErrorAlert error={inbox.error} onRetry={() => void inbox.refetch()} />}
      {markRead.isError && <ErrorAlert error={markRead.error} />}
      {first && messages && (
        <>
          <p role="status">
            {first.unread > 0 ? t('inbox.unreadCount', { count: first.unread }) : t('inbox.allRead')}
          </p>
          {messages.length === 0 ? (
            <p className="empty">{t('inbox.empty')}</p>
          ) : (
            <ul className="inbox-list" aria-label={t('inbox.listLabel')} aria-busy={inbox.isFetchingNextPage}>
              {messages.map((message) => (
                <InboxMessageItem
                  key={message.id}
                  message={message}
                  marking={markRead.isPending}
                  onRead={(id) => markRead.mutate(id)}
                />
              ))}
            </ul>
          )}
          {inbox.hasNextPage && (
            <p>
              <button
                type="button"
                className="button button--secondary"
                disabled={inbox.isFetchingNextPage}
                onClick={() => void inbox.fetchNextPage()}
              >
                {t('inbox.showMore')}
              </button>
            </p>
          )}
        </>
      )}
      <p>
        {t('inbox.settingsHint')} <Link to="/installningar">{t('inbox.toSettings')}</Link>
      </p>
    </>
  );
}
