import { useTranslation } from 'react-i18next';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '@shared/lib/problems';

interface Props {
  error: unknown;
  /** Shown for 412/428 together with a reload button. */
  onReload?: () => void;
  /** What a 409 means here ("move the bookings first"), instead of the general text. */
  conflictMessage?: string;
}

/**
 * What went wrong with a save, other than field errors (422, shown at the fields): not
 * permitted (403), not found (404), a conflict (409), somebody else's newer version (412).
 */
export function ProblemAlert({ error, onReload, conflictMessage }: Props) {
  const { t } = useTranslation();
  if (!error) return null;
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 422) return null;
  const detail = error instanceof ApiError ? error.problem?.detail : undefined;
  let message: string;
  switch (status) {
    case 403:
      message = t('problems.forbidden');
      break;
    case 404:
      message = t('problems.notFound');
      break;
    case 409:
      message = conflictMessage ?? (problemSlug(error) === 'still-in-use' ? t('problems.stillInUse') : t('problems.conflict'));
      break;
    case 412:
    case 428:
      message = t('problems.stale');
      break;
    default:
      message = t('errors.generic');
  }
  return (
    <div className="alert alert--error" role="alert">
      <p>{message}</p>
      {detail && (status === 409 || status === 403) && (
        <p>
          {t('problems.detail')} <span lang="en">{detail}</span>
        </p>
      )}
      {(status === 412 || status === 428) && onReload && (
        <button type="button" className="button button--secondary" onClick={onReload}>
          {t('problems.reload')}
        </button>
      )}
    </div>
  );
}
