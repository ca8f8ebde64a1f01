import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CheckboxField } from '@shared/forms';
import { formatDate } from '../../../lib/format';
import type { OfferDetails, OrderSummary } from '../api/offers';

export const DUPLICATE_CONFIRM_ID = 'confirm-new-order';

interface Props {
  offer: OfferDetails;
  /** The citizen's ongoing orders of this offer, the newest first. */
  orders: OrderSummary[];
  /** With a checkbox: ordering once more is a deliberate choice. */
  confirm?: { checked: boolean; onChange: (checked: boolean) => void; error?: string };
}

/** "Du har redan en pågående beställning av …": before the same offer is ordered again. */
export function DuplicateWarning({ offer, orders, confirm }: Props) {
  const { t, i18n } = useTranslation();
  const latest = orders[0];
  if (!latest) return null;
  return (
    <div className="alert alert--warning">
      <p>
        <strong>
          {t('order.duplicate.warning', {
            count: orders.length,
            offer: offer.name,
            date: formatDate(latest.created_at, i18n.language),
          })}
        </strong>
      </p>
      <p>{t('order.duplicate.advice')}</p>
      <p>
        <Link to={`/bestallningar/${latest.order_id}`}>{t('order.duplicate.toExisting')}</Link>
      </p>
      {confirm && (
        <CheckboxField
          id={DUPLICATE_CONFIRM_ID}
          label={t('order.duplicate.confirm')}
          checked={confirm.checked}
          onChange={confirm.onChange}
          error={confirm.error}
        />
      )}
    </div>
  );
}
