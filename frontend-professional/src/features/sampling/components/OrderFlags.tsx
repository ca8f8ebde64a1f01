import { useTranslation } from 'react-i18next';
import type { SearchOut } from '@shared/client/types.gen';

type OrderSummary = SearchOut['orders'][number];

/** What a nurse must know before opening an order: another region's offer, booked at another unit. */
export function OrderFlags({ order }: { order: OrderSummary }) {
  const { t } = useTranslation();
  return (
    <>
      {order.other_region && (
        <span className="tag tag--warning">{t('sampling.otherRegion', { region: order.offer_region_name })}</span>
      )}
      {order.booked_elsewhere && (
        <span className="tag tag--muted">{t('sampling.bookedElsewhere', { unit: order.booked_unit_name ?? '' })}</span>
      )}
    </>
  );
}
