import type { SummaryItem } from '@shared/forms';
import type { FieldErrors } from './orderForm';
import { targetOfField } from './orderForm';

export function summaryErrors(errors: FieldErrors): SummaryItem[] {
  return Object.entries(errors).map(([field, message]) => ({
    target: targetOfField(field),
    message,
  }));
}
