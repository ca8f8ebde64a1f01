// The order form's values, the client-side checks (mirroring the server's) and how server field
// names map to the form's fields, steps and messages.
import type { TFunction } from 'i18next';
import { stockholmLocalToIso } from '../../../lib/format';
import type { Address } from '@shared/client/types.gen';
import type { OfferDetails, OrderIn } from '../api/offers';

export type Step = 'instructions' | 'details' | 'booking' | 'summary';

export interface OrderFormValues {
  phone: string;
  email: string;
  careOf: string;
  street: string;
  postalCode: string;
  city: string;
  orderKey: string;
  samplingDate: string;
  samplingTime: string;
  /** Question id → "yes" / "no" (yes_no) or the text typed. */
  answers: Record<string, string>;
  samplingUnitId: string;
  slotId: string;
}

/** Server field name (as in the 422 problem) → message. */
export type FieldErrors = Record<string, string>;

export function initialValues(address: Address | null | undefined): OrderFormValues {
  return {
    phone: '',
    email: '',
    careOf: address?.care_of ?? '',
    street: address?.street ?? '',
    postalCode: address?.postal_code ?? '',
    city: address?.city ?? '',
    orderKey: '',
    samplingDate: '',
    samplingTime: '',
    answers: {},
    samplingUnitId: '',
    slotId: '',
  };
}

export function asksDetails(offer: OfferDetails): boolean {
  const asks = offer.asks;
  return (
    asks.contact_details ||
    asks.delivery_address ||
    asks.order_key ||
    asks.sampling_datetime ||
    asks.questions.length > 0
  );
}

export function stepsOf(offer: OfferDetails): Step[] {
  const steps: Step[] = ['instructions'];
  if (asksDetails(offer)) steps.push('details');
  if (offer.sampling_method === 'site_booking') steps.push('booking');
  steps.push('summary');
  return steps;
}

/** The step on which a server field is filled in. */
export function stepOfField(field: string): Step {
  return field === 'booking' || field.startsWith('booking.') ? 'booking' : 'details';
}

/** Id of the element (field, or fieldset around a group) a server field name refers to. */
export function targetOfField(field: string): string | null {
  const fixed: Record<string, string> = {
    contact: 'contact',
    'contact.phone': 'contact-phone',
    'contact.email': 'contact-email',
    delivery_address: 'delivery-address',
    'delivery_address.care_of': 'delivery-care-of',
    'delivery_address.street': 'delivery-street',
    'delivery_address.postal_code': 'delivery-postal-code',
    'delivery_address.city': 'delivery-city',
    order_key: 'order-key',
    sampling_datetime: 'sampling-date',
    booking: 'booking-place',
    'booking.sampling_unit_id': 'booking-place',
    'booking.slot_id': 'booking-slot',
  };
  if (field in fixed) return fixed[field] ?? null;
  if (field.startsWith('answers.')) return questionFieldId(field.slice('answers.'.length));
  return null;
}

export function questionFieldId(questionId: string): string {
  return `question-${questionId}`;
}

function questionText(offer: OfferDetails, questionId: string): string {
  return offer.asks.questions.find((q) => q.id === questionId)?.text ?? '';
}

const PHONE = /^\+?[0-9 ()-]{6,20}$/;
const EMAIL = /^[^@\s<>]{1,64}@[^@\s<>]{1,255}\.[A-Za-z]{2,}$/;
const POSTAL_CODE = /^\d{3} ?\d{2}$/;
const MARKUP = /[<>]/;

/**
 * Swedish message for a server field error. Known server checks get a plain-language text;
 * anything else keeps the server's own words.
 */
export function messageForServerError(
  field: string,
  message: string,
  code: string,
  t: TFunction,
  offer: OfferDetails,
): string {
  if (code === 'markup') return t('order.errors.noMarkup');
  if (field === 'contact') return t('order.errors.contactMissing');
  if (field === 'contact.phone') return t('order.errors.phoneInvalid');
  if (field === 'contact.email') return t('order.errors.emailInvalid');
  if (field === 'delivery_address') return t('order.errors.addressMissing');
  if (field === 'delivery_address.street') return t('order.errors.streetMissing');
  if (field === 'delivery_address.postal_code') return t('order.errors.postalCodeInvalid');
  if (field === 'delivery_address.city') return t('order.errors.cityMissing');
  if (field === 'order_key') return t('order.errors.orderKeyMissing');
  if (field === 'sampling_datetime') {
    return code === 'in_past'
      ? t('order.errors.samplingInPast')
      : t('order.errors.samplingMissing');
  }
  if (field.startsWith('answers.')) {
    const question = questionText(offer, field.slice('answers.'.length));
    return code === 'yes_no'
      ? t('order.errors.answerYesNo', { question })
      : t('order.errors.answerMissing', { question });
  }
  if (field === 'booking' || field.startsWith('booking.')) return t('order.errors.slotMissing');
  return message;
}

export function validateDetails(
  offer: OfferDetails,
  values: OrderFormValues,
  t: TFunction,
  now: Date = new Date(),
): FieldErrors {
  const errors: FieldErrors = {};
  const asks = offer.asks;
  const phone = values.phone.trim();
  const email = values.email.trim();
  if (asks.contact_details && !phone && !email) errors.contact = t('order.errors.contactMissing');
  if (phone && !PHONE.test(phone)) errors['contact.phone'] = t('order.errors.phoneInvalid');
  if (email && !EMAIL.test(email)) errors['contact.email'] = t('order.errors.emailInvalid');

  if (asks.delivery_address) {
    const address = {
      care_of: values.careOf,
      street: values.street,
      postal_code: values.postalCode,
      city: values.city,
    };
    if (!values.street.trim()) errors['delivery_address.street'] = t('order.errors.streetMissing');
    if (!POSTAL_CODE.test(values.postalCode.trim()))
      errors['delivery_address.postal_code'] = t('order.errors.postalCodeInvalid');
    if (!values.city.trim()) errors['delivery_address.city'] = t('order.errors.cityMissing');
    for (const [name, value] of Object.entries(address)) {
      if (MARKUP.test(value)) errors[`delivery_address.${name}`] = t('order.errors.noMarkup');
    }
  }
  if (asks.order_key) {
    if (!values.orderKey.trim()) errors.order_key = t('order.errors.orderKeyMissing');
    else if (MARKUP.test(values.orderKey)) errors.order_key = t('order.errors.noMarkup');
  }
  if (asks.sampling_datetime) {
    const iso = stockholmLocalToIso(values.samplingDate, values.samplingTime);
    if (!iso) errors.sampling_datetime = t('order.errors.samplingMissing');
    else if (new Date(iso).getTime() < now.getTime())
      errors.sampling_datetime = t('order.errors.samplingInPast');
  }
  for (const question of asks.questions) {
    const answer = (values.answers[question.id] ?? '').trim();
    const field = `answers.${question.id}`;
    if (question.required && !answer) {
      errors[field] = t('order.errors.answerMissing', { question: question.text });
    }
    else if (question.type === 'text' && MARKUP.test(answer)) errors[field] = t('order.errors.noMarkup');
  }
  return errors;
}

export function validateBooking(values: OrderFormValues, t: TFunction): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.samplingUnitId) errors['booking.sampling_unit_id'] = t('order.errors.placeMissing');
  else if (!values.slotId) errors['booking.slot_id'] = t('order.errors.slotMissing');
  return errors;
}

/** The request body: only what the offer asks for. */
export function toOrderIn(offer: OfferDetails, values: OrderFormValues): OrderIn {
  const asks = offer.asks;
  const body: OrderIn = { catalog_id: offer.catalog_id, answers: {} };
  const phone = values.phone.trim();
  const email = values.email.trim();
  if (asks.contact_details && (phone || email)) {
    body.contact = { phone: phone || null, email: email || null };
  }
  if (asks.delivery_address) {
    body.delivery_address = {
      care_of: values.careOf.trim() || null,
      street: values.street.trim(),
      postal_code: values.postalCode.trim(),
      city: values.city.trim(),
    };
  }
  if (asks.order_key) body.order_key = values.orderKey.trim();
  if (asks.sampling_datetime) {
    body.sampling_datetime = stockholmLocalToIso(values.samplingDate, values.samplingTime);
  }
  const answers: Record<string, boolean | string> = {};
  for (const question of asks.questions) {
    const answer = (values.answers[question.id] ?? '').trim();
    if (!answer) continue;
    answers[question.id] = question.type === 'yes_no' ? answer === 'yes' : answer;
  }
  body.answers = answers;
  if (offer.sampling_method === 'site_booking') {
    body.booking = { sampling_unit_id: values.samplingUnitId, slot_id: values.slotId };
  }
  return body;
}
