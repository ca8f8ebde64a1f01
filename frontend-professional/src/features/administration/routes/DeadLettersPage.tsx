import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDateTime } from '../../../lib/format';
import { DEAD_LETTER_PAGE_SIZE, useDeadLetters, useRequeueDeadLetter } from '../api/deadLetters';
import { Notice } from '../components/Notice';

const KNOWN_KINDS = [
  'result_available',
  'result_to_care_unit',
  'inbox_delivery',
  'email_notification',
  'sms_notification',
] as const;
type KnownKind = (typeof KNOWN_KINDS)[number];
const isKnown = (kind: string): kind is KnownKind => (KNOWN_KINDS as readonly string[]).includes(kind);

/**
 * Utkorg – döda meddelanden (operators and central administrators): outbox events whose
 * delivery failed on every attempt, oldest first, each with "Försök igen".
 */
export function DeadLettersPage() {
  const { t, i18n } = useTranslation();
  const title = t('admin.sections.deadLetters.title');
  usePageTitle(title);
  const [page, setPage] = useState(1);
  const letters = useDeadLetters(page);
  const requeue = useRequeueDeadLetter();
  const [notice, setNotice] = useState<string | null>(null);
  const kindOf = (kind: string) => (isKnown(kind) ? t(`admin.dl.kind.${kind}`) : kind);

  const retry = (eventId: string) => {
    setNotice(null);
    const lastOnPage = letters.data?.items.length === 1 && page > 1;
    requeue.mutate(eventId, {
      onSuccess: () => {
        setNotice(t('admin.dl.requeued'));
        if (lastOnPage) setPage(page - 1);
      },
    });
  };

  return (
    <>
      <h1>{title}</h1>
      <p>{t('admin.dl.intro')}</p>
      <Notice message={notice} />
      <ProblemAlert error={requeue.error} />
      {letters.isPending ? (
        <Loading />
      ) : letters.isError ? (
        <ErrorAlert error={letters.error} onRetry={() => void letters.refetch()} />
      ) : letters.data.items.length === 0 ? (
        <p>{t('admin.dl.none')}</p>
      ) : (
        <>
          <p>{t('admin.dl.total', { count: letters.data.total })}</p>
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.dl.kindHeading')}</th>
                  <th scope="col">{t('admin.dl.created')}</th>
                  <th scope="col" className="numeric">
                    {t('admin.dl.attempts')}
                  </th>
                  <th scope="col">{t('admin.dl.lastAttempt')}</th>
                  <th scope="col">{t('admin.dl.lastError')}</th>
                  <th scope="col">{t('admin.action')}</th>
                </tr>
              </thead>
              <tbody>
                {letters.data.items.map((letter) => {
                  const created = formatDateTime(letter.created_at, i18n.language);
                  return (
                    <tr key={letter.id}>
                      <td>
                        {kindOf(letter.kind)}
                        <br />
                        <span className="muted mono">{letter.id}</span>
                      </td>
                      <td className="nowrap">{created}</td>
                      <td className="numeric">{letter.attempts}</td>
                      <td className="nowrap">{formatDateTime(letter.last_attempt_due, i18n.language)}</td>
                      <td>
                        {letter.last_error ? (
                          <span className="mono" lang="en">
                            {letter.last_error}
                          </span>
                        ) : (
                          t('admin.dl.noError')
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          disabled={requeue.isPending && requeue.variables === letter.id}
                          aria-label={t('admin.dl.retryLabel', { kind: kindOf(letter.kind), created })}
                          onClick={() => retry(letter.id)}
                        >
                          {t('admin.dl.retry')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pages
            page={page}
            pages={Math.max(1, Math.ceil(letters.data.total / DEAD_LETTER_PAGE_SIZE))}
            onPage={setPage}
          />
        </>
      )}
    </>
  );
}

function Pages({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t('admin.dl.pagination')}>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        {t('assignedOffers.previous')}
      </button>
      <span>{t('assignedOffers.pageOf', { page, pages })}</span>
      <button
        type="button"
        className="button button--secondary button--small"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        {t('assignedOffers.next')}
      </button>
    </nav>
  );
}
