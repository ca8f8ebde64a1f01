// Query keys of this app, built here only (no literal keys elsewhere), so that one feature can
// invalidate what another shows (e.g. a new order makes "Pågående beställningar" stale)
// without importing it. Each level is a prefix of the ones below it.
const root = ['citizen'] as const;
const allOffers = [...root, 'offers'] as const;
const allOrders = [...root, 'orders'] as const;

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
  order: (orderId: string) => [...allOrders, 'details', orderId] as const,
};
