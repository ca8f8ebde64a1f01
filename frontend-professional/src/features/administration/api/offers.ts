import { useQuery } from '@tanstack/react-query';
import { createOffer, getOfferAdmin, listOffersAdmin, retireOffer, updateOffer } from '@shared/client/sdk.gen';
import type { OfferIn } from '@shared/client/types.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { ifMatch, useVersionedChange, useVersionedQuery } from './versioned';

/** The offers the administrator administers; `enabled: false` for one who administers none. */
export function useOffers({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: adminKeys.offers,
    queryFn: async () => (await listOffersAdmin({ throwOnError: true })).data,
    enabled,
  });
}

export function useOffer(catalogId: string) {
  return useVersionedQuery(adminKeys.offer(catalogId), () =>
    getOfferAdmin({ path: { catalog_id: catalogId }, throwOnError: true }),
  );
}

export function useCreateOffer() {
  return useVersionedChange({
    send: (body: OfferIn) => createOffer({ body, throwOnError: true }),
    itemKey: (offer) => adminKeys.offer(offer.catalog_id),
    invalidates: [adminKeys.offers],
  });
}

/** PUT saves a new version of the offer. */
export function useUpdateOffer(catalogId: string) {
  return useVersionedChange({
    send: ({ body, etag }: { body: OfferIn; etag: string }) =>
      updateOffer({ path: { catalog_id: catalogId }, headers: ifMatch(etag), body, throwOnError: true }),
    itemKey: () => adminKeys.offer(catalogId),
    invalidates: [adminKeys.offers],
  });
}

export function useRetireOffer(catalogId: string) {
  return useVersionedChange({
    send: (etag: string) => retireOffer({ path: { catalog_id: catalogId }, headers: ifMatch(etag), throwOnError: true }),
    itemKey: () => adminKeys.offer(catalogId),
    invalidates: [adminKeys.offers],
  });
}
