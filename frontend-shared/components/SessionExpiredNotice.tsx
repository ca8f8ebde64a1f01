import { useTranslation } from 'react-i18next';
import { useSessionContext } from '../session/SessionProvider';

export function SessionExpiredNotice() {
  const { t } = useTranslation();
  const { expired } = useSessionContext();
  if (!expired) return null;
  return (
    <div className="alert alert--info" role="status">
      <p>{t('session.expired')}</p>
    </div>
  );
}
