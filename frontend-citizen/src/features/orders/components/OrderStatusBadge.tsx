import { useTranslation } from 'react-i18next';
import type { OrderSummary } from '../api/orders';

export function OrderStatusBadge({ status }: { status: OrderSummary['status'] }) {
  const { t } = useTranslation();
  return <span className={`status status--${status}`}>{t(`orderStatus.${status}`)}</span>;
}
