import { useTranslation } from 'react-i18next';

/** " Avvecklad" after an item's meta line. */
export function RetiredTag() {
  const { t } = useTranslation();
  return (
    <>
      {' '}
      <span className="tag tag--retired">{t('admin.decommissioned')}</span>
    </>
  );
}
