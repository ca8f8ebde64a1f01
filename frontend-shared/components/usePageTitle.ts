import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Sets document.title to "<page> – <service>" (WCAG 2.4.2), or to `homeTitle` (default: the
 * app's name) on a page without a title of its own.
 */
export function usePageTitle(page: string | null, homeTitle?: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = page ? t('app.pageTitle', { page }) : (homeTitle ?? t('app.name'));
  }, [page, homeTitle, t]);
}
