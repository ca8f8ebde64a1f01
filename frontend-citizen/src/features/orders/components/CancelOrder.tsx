import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../../components/Dialog';
import { ApiError } from '@shared/lib/http';
import { problemSlug } from '../../../lib/problems';
import type { OrderDetails } from '../api/orders';
import { useCancelOrder } from '../api/orders';

const REFUSALS = ['already_cancelled', 'sampled', 'delivery_started', 'booked_time_passed', 'finished'] as const;
type Refusal = (typeof REFUSALS)[number];

function asRefusal(value: string | null): Refusal | null {
  return (REFUSALS as readonly (string | null)[]).includes(value) ? (value as Refusal) : null;
}

type Outcome = 'cancelled' | 'refused' | 'stale' | 'failed' | null;

/** Ångra beställning, allowed until sampled or the kit is sent and never after a booked time. */
export function CancelOrder({ order, onReload }: { order: OrderDetails; onReload: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const cancel = useCancelOrder(order.order_id);
  // Set synchronously on the first click: a double click must not send a second request
  // (React has not re-rendered the button as disabled between the two clicks).
  const sending = useRef(false);

  const confirm = () => {
    if (sending.current) return;
    sending.current = true;
    cancel.mutate(order.version, {
      onSettled: () => {
        sending.current = false;
      },
      onSuccess: () => {
        setOpen(false);
        setOutcome('cancelled');
      },
      onError: (error) => {
        setOpen(false);
        const slug = problemSlug(error);
        if (slug === 'order-cannot-be-cancelled') setOutcome('refused');
        else if (slug === 'stale-version' || (error instanceof ApiError && error.status === 412)) {
          setOutcome('stale');
        } else setOutcome('failed');
        if (slug) onReload();
      },
    });
  };

  const refusal = asRefusal(order.cancel_refusal);
  return (
    <section aria-labelledby="cancel-heading" className="order-section">
      <h2 id="cancel-heading">{t('cancel.heading')}</h2>
      {outcome === 'cancelled' && (
        <div className="alert alert--success" role="status">
          <p>{t('cancel.done')}</p>
        </div>
      )}
      {(outcome === 'refused' || outcome === 'stale' || outcome === 'failed') && (
        <div className="alert alert--error" role="alert">
          <p>{t(`cancel.${outcome}`)}</p>
        </div>
      )}
      {order.can_cancel ? (
        <>
          <p>{t('cancel.explanation')}</p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setOutcome(null);
              setOpen(true);
            }}
          >
            {t('cancel.button')}
          </button>
        </>
      ) : (
        outcome !== 'cancelled' && (
          <p>{refusal ? t(`cancel.refusal.${refusal}`) : t('cancel.notPossible')}</p>
        )
      )}
      <Dialog id="cancel-dialog" open={open} onClose={() => setOpen(false)} title={t('cancel.confirmTitle')}>
        <p>{t('cancel.confirmText', { offer: order.offer_name })}</p>
        {order.booking && <p>{t('cancel.confirmBooking')}</p>}
        <div className="button-row">
          <button type="button" className="button button--danger" onClick={confirm} disabled={cancel.isPending}>
            {cancel.isPending ? t('cancel.cancelling') : t('cancel.confirm')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setOpen(false)}
            disabled={cancel.isPending}
          >
            {t('cancel.keep')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
