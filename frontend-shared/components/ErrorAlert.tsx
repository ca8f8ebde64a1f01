import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/http';

interface Props {
  error: unknown;
  onRetry?: () => void;
}

export function ErrorAlert({ error, onRetry }: Props) {
  const { t } = useTranslation();
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="alert alert--error" role="alert">
      <p>{forbidden ? t('errors.forbidden') : t('errors.generic')}</p>
      {onRetry && !forbidden && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('errors.retry')}
        </button>
      )}
    </div>
  );
}
