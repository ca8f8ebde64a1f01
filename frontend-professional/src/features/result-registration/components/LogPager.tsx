import { useTranslation } from 'react-i18next';

/** Previous / next page of the Svarslogg. */
export function LogPager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t('resultRegistration.log.pagination')}>
      <button type="button" className="button button--secondary button--small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('resultRegistration.log.previous')}
      </button>
      <span>{t('resultRegistration.log.pageOf', { page, pages })}</span>
      <button type="button" className="button button--secondary button--small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('resultRegistration.log.next')}
      </button>
    </nav>
  );
}
