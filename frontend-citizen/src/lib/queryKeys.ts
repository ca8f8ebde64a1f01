// Query keys shared by the features, so that one feature can invalidate what another shows
// (e.g. a new order makes "Pågående beställningar" stale) without importing it.
export const citizenKeys = {
  offers: (scope: 'home' | 'other_regions') => ['citizen', 'offers', 'list', scope] as const,
  offer: (catalogId: string) => ['citizen', 'offers', 'details', catalogId] as const,
  slots: (catalogId: string, samplingUnitId: string) =>
    ['citizen', 'offers', 'slots', catalogId, samplingUnitId] as const,
  allOrders: ['citizen', 'orders'] as const,
  orders: (state: 'ongoing' | 'previous') => ['citizen', 'orders', 'list', state] as const,
  order: (orderId: string) => ['citizen', 'orders', 'details', orderId] as const,
};
