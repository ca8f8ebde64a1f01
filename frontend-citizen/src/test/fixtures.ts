// Example API answers for the citizen ordering screens (shapes as in openapi/openapi.json).
import type { OfferDetails, OrderDetails, SlotOut } from '@shared/client/types.gen';

export const homeKitOffer: OfferDetails = {
  catalog_id: '1001',
  name: 'Klamydia- och gonorrétest hemma',
  sampling_method: 'home_kit',
  visibility: 'general',
  region: { code: '01', name: 'Region Stockholm' },
  products: [
    { code: 'PEP-CT', name: 'Klamydia' },
    { code: 'PEP-NG', name: 'Gonorré' },
  ],
  validity_days: 30,
  instructions_html: '<p>Du får ett provtagningskit hem med posten.</p>',
  asks: {
    contact_details: true,
    delivery_address: true,
    order_key: false,
    sampling_datetime: false,
    questions: [{ id: 'symptoms', text: 'Har du symtom?', type: 'yes_no', required: true }],
  },
  sampling_places: [],
};

export const bookingOffer: OfferDetails = {
  ...homeKitOffer,
  catalog_id: '1004',
  name: 'HIV- och syfilistest',
  sampling_method: 'site_booking',
  asks: { ...homeKitOffer.asks, delivery_address: false, questions: [] },
  sampling_places: [
    {
      id: '11111111-1111-4111-8111-111111111111',
      name: 'Provtagningen Solna',
      street: 'Solnavägen 1',
      postal_code: '17165',
      city: 'Solna',
      opening_hours: 'Mån–fre 07.30–16.00',
    },
  ],
};

export function slot(id: string, startsAt: string): SlotOut {
  const ends = new Date(Date.parse(startsAt) + 15 * 60_000).toISOString();
  return {
    slot_id: id,
    sampling_unit_id: '11111111-1111-4111-8111-111111111111',
    starts_at: startsAt,
    ends_at: ends,
    free: 1,
  };
}

export const ORDER_ID = '22222222-2222-4222-8222-222222222222';

export const placedOrder: OrderDetails = {
  order_id: ORDER_ID,
  rid: 'E672-XNH3-3J',
  offer_name: 'Klamydia- och gonorrétest hemma',
  sampling_method: 'home_kit',
  status: 'ordered',
  created_at: '2026-11-20T09:00:00Z',
  expires_at: null,
  booking_starts_at: null,
  sampling_unit_name: null,
  results: 0,
  unread_results: 0,
  catalog_id: '1001',
  version: 1,
  booking: null,
  lines: [
    { line_no: 1, product_code: 'PEP-CT', product_name: 'Klamydia', result: null },
    { line_no: 2, product_code: 'PEP-NG', product_name: 'Gonorré', result: null },
  ],
  contact: { phone: '070-123 45 67', email: null },
  delivery_address: { care_of: null, street: 'Storgatan 1', postal_code: '111 22', city: 'Stockholm' },
  can_cancel: true,
  cancel_refusal: null,
  sampling_places: [],
  steps: [
    { step: 'ordered', at: '2026-11-20T09:00:00Z' },
    { step: 'handled', at: null },
    { step: 'sampled', at: null },
    { step: 'answered', at: null },
  ],
};

export function problemBody(status: number, slug: string, extra: Record<string, unknown> = {}) {
  return { type: `/problems/${slug}`, title: slug, status, detail: null, ...extra };
}
