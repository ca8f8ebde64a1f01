import type { SummaryError } from '../../../components/ErrorSummary';
import type { FieldErrors } from './orderForm';
import { targetOfField } from './orderForm';

export function summaryErrors(errors: FieldErrors): SummaryError[] {
  return Object.entries(errors).map(([field, message]) => ({
    target: targetOfField(field),
    message,
  }));
}
