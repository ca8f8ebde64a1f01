import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionProvider';

export function SessionExpiredNotice() {
  const { t } = useTranslation();
  const { expired } = useSession();
  if (!expired) return null;
  return (
    <div className="alert alert--info" role="status">
      <p>{t('session.expired')}</p>
    </div>
  );
}
