import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from './usePageTitle';

/** "Behörighet saknas": why, and where to go instead (`links`). */
export function NoPermissionPage({ text, links }: { text: string; links: ReactNode }) {
  const { t } = useTranslation();
  usePageTitle(t('noPermission.title'));
  return (
    <>
      <h1>{t('noPermission.title')}</h1>
      <div className="alert alert--error" role="alert">
        <p>{text}</p>
      </div>
      <p>{links}</p>
    </>
  );
}
