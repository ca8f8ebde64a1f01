// Example Inkorg answers (shapes as in openapi/openapi.json), for this feature's tests and the
// app's accessibility tests.
import type { InboxMessageOut, InboxPageOut } from '@shared/client/types.gen';

export const RESULT_ORDER = '33333333-3333-4333-8333-333333333333';
export const OTHER_ORDER = '44444444-4444-4444-8444-444444444444';

export function inboxMessage(overrides: Partial<InboxMessageOut> = {}): InboxMessageOut {
  return {
    id: '55555555-5555-4555-8555-555555555555',
    kind: 'result',
    subject: 'Nytt provsvar',
    body: 'Det finns ett nytt provsvar för din beställning Klamydiatest i Egen provhantering. Öppna beställningen för att läsa svaret.',
    order_id: RESULT_ORDER,
    offer_name: 'Klamydiatest',
    created_at: '2026-11-20T09:30:00Z',
    read: false,
    read_at: null,
    ...overrides,
  };
}

export const twoMessages: InboxPageOut = {
  total: 2,
  unread: 1,
  page: 1,
  page_size: 20,
  items: [
    inboxMessage(),
    inboxMessage({
      id: '66666666-6666-4666-8666-666666666666',
      kind: 'correction',
      subject: 'Korrigerat provsvar',
      order_id: OTHER_ORDER,
      offer_name: 'HIV- och syfilistest',
      created_at: '2026-11-10T08:00:00Z',
      read: true,
      read_at: '2026-11-10T12:00:00Z',
    }),
  ],
};
