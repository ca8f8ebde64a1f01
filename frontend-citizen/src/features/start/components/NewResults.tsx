import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate } from '../../../lib/format';
import { useInboxSummary } from '../api/summary';

/**
 * The start page's news: results the citizen has not read yet (each order a link to them) and
 * unread messages in Inkorg. Nothing when there is nothing new, or when the news cannot be
 * fetched (the rest of the start page still works; Inkorg shows its own error).
 */
export function NewResults() {
  const { t, i18n } = useTranslation();
  const summary = useInboxSummary();
  const data = summary.data;
  if (!data || (data.unread_results === 0 && data.unread_messages === 0)) return null;
  return (
    <section className="card news" aria-labelledby="news-heading">
      <h2 id="news-heading">{t('newResults.heading')}</h2>
      {data.unread_results > 0 && (
        <>
          <p>{t('newResults.results', { count: data.unread_results })}</p>
          <ul className="link-list">
            {data.new_results.map((order) => (
              <li key={order.order_id}>
                <Link to={`/bestallningar/${order.order_id}`}>
                  {t('newResults.order', {
                    offer: order.offer_name,
                    date: formatDate(order.received_at, i18n.language),
                  })}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {data.unread_messages > 0 && (
        <p>
          <Link to="/inkorg">{t('newResults.messages', { count: data.unread_messages })}</Link>
        </p>
      )}
    </section>
  );
}
