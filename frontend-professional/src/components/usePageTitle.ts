import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets document.title to "<page> – <service>" (WCAG 2.4.2). */
export function usePageTitle(page: string | null): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = page ? t('app.pageTitle', { page }) : t('app.fullName');
  }, [page, t]);
}
