import { useTranslation } from 'react-i18next';

interface Props {
  page: number;
  /** Unknown when the server stopped counting (more than it counts). */
  pages: number | undefined;
  hasNext: boolean;
  onPage: (page: number) => void;
}

export function Pager({ page, pages, hasNext, onPage }: Props) {
  const { t } = useTranslation();
  if (page <= 1 && !hasNext) return null;
  return (
    <nav className="pagination" aria-label={t('worklist.pagination')}>
      <button type="button" className="button button--secondary button--small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('worklist.previous')}
      </button>
      <span>{pages ? t('worklist.pageOf', { page, pages }) : t('worklist.pageOnly', { page })}</span>
      <button type="button" className="button button--secondary button--small" disabled={!hasNext} onClick={() => onPage(page + 1)}>
        {t('worklist.next')}
      </button>
    </nav>
  );
}
