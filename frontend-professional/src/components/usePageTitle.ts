import { useTranslation } from 'react-i18next';
import { usePageTitle as useSharedPageTitle } from '@shared/components/usePageTitle';

/** Sets document.title to "<page> – Egen provhantering – vårdpersonal" (WCAG 2.4.2). */
export function usePageTitle(page: string | null): void {
  const { t } = useTranslation();
  useSharedPageTitle(page, t('app.fullName'));
}
