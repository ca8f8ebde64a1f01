// Query keys of this app, built here only (no literal keys elsewhere), so that one feature can
// invalidate what another shows (e.g. a new order makes "Pågående beställningar" stale)
// without importing it. Each level is a prefix of the ones below it.
const root = ['citizen'] as const;
const allOffers = [...root, 'offers'] as const;
const allOrders = [...root, 'orders'] as const;
const allInbox = [...root, 'inbox'] as const;

export const citizenKeys = {
  profile: [...root, 'profile'] as const,
  allOffers,
  offerLists: [...allOffers, 'list'] as const,
  offers: (scope: 'home' | 'other_regions') => [...allOffers, 'list', scope] as const,
  offer: (catalogId: string) => [...allOffers, 'details', catalogId] as const,
  slots: (catalogId: string, samplingUnitId: string) => [...allOffers, 'slots', catalogId, samplingUnitId] as const,
  allOrders,
  orderLists: [...allOrders, 'list'] as const,
  orders: (state: 'ongoing' | 'previous') => [...allOrders, 'list', state] as const,
  /** The orders list a page at a time (Visa fler): the pages fetched so far. */
  orderPages: (state: 'ongoing' | 'previous') => [...allOrders, 'list', state, 'pages'] as const,
  order: (orderId: string) => [...allOrders, 'details', orderId] as const,
  /** Inkorg and the start page's news: stale whenever a message or a result is read. */
  allInbox,
  inboxPages: [...allInbox, 'pages'] as const,
  inboxSummary: [...allInbox, 'summary'] as const,
  contactDetails: [...root, 'contact-details'] as const,
};
