import { useTranslation } from 'react-i18next';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '@shared/lib/problems';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { statusKey } from '../../../lib/orderStatus';

interface NotWaiting {
  orders?: { order_id: string; rid: string | null; status: string | null }[];
}

/** Why a print, export or receipt was refused: nothing was changed; orders others took first are listed with their state. */
export function DispatchProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const slug = problemSlug(error);
  if (slug === 'kit-orders-not-waiting' && error instanceof ApiError) {
    const orders = (error.problem as NotWaiting | undefined)?.orders ?? [];
    return (
      <div className="alert alert--error" role="alert">
        <p>{t('dispatch.notWaiting')}</p>
        <ul>
          {orders.map((o) => (
            <li key={o.order_id}>
              {t('dispatch.notWaitingOrder', { rid: o.rid ?? o.order_id, status: o.status ? t(statusKey(o.status)) : '' })}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  if (slug === 'manual-handling-required') {
    return (
      <div className="alert alert--error" role="alert">
        <p>{t('dispatch.manualRequired')}</p>
      </div>
    );
  }
  if (slug === 'no-laboratory' && error instanceof ApiError) {
    return (
      <div className="alert alert--error" role="alert">
        <p>{t('dispatch.noLaboratory')}</p>
        {error.problem?.detail && (
          <p>
            {t('problems.detail')} <span lang="en">{error.problem.detail}</span>
          </p>
        )}
      </div>
    );
  }
  return <ProblemAlert error={error} />;
}
