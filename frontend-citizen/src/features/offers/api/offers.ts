import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  getCitizenOffer,
  getCitizenOrder,
  listCitizenOffers,
  listCitizenOrders,
  listFreeSlots,
  placeOrder,
} from '@shared/client/sdk.gen';
import type {
  ListCitizenOrdersResponse,
  OfferDetails,
  OfferSummary,
  OrderDetails,
  OrderIn,
  SlotOut,
} from '@shared/client/types.gen';
import { citizenKeys } from '../../../lib/queryKeys';

export type { OfferDetails, OfferSummary, OrderDetails, OrderIn, SlotOut };
export type OrderSummary = ListCitizenOrdersResponse['items'][number];
export type OfferScope = 'home' | 'other_regions';
export type SamplingPlace = OfferDetails['sampling_places'][number];
export type Question = OfferDetails['asks']['questions'][number];

export const SLOT_DAYS = 14;

export function useOffers(scope: OfferScope, enabled = true) {
  return useQuery({
    queryKey: citizenKeys.offers(scope),
    queryFn: async () => (await listCitizenOffers({ query: { scope }, throwOnError: true })).data,
    enabled,
  });
}

export function useOffer(catalogId: string) {
  return useQuery({
    queryKey: citizenKeys.offer(catalogId),
    queryFn: async () =>
      (await getCitizenOffer({ path: { catalog_id: catalogId }, throwOnError: true })).data,
    enabled: catalogId !== '',
    // The offer does not change while the citizen fills in the order.
    staleTime: 10 * 60_000,
  });
}

export function useFreeSlots(catalogId: string, samplingUnitId: string) {
  return useQuery({
    queryKey: citizenKeys.slots(catalogId, samplingUnitId),
    queryFn: async () =>
      (
        await listFreeSlots({
          path: { catalog_id: catalogId },
          query: { sampling_unit_id: samplingUnitId, days: SLOT_DAYS },
          throwOnError: true,
        })
      ).data,
    enabled: samplingUnitId !== '',
  });
}

/** Pågående beställningar (the same query as the orders list): to warn before ordering the same again. */
export function useOngoingOrders() {
  return useQuery({
    queryKey: citizenKeys.orders('ongoing'),
    // The newest hundred: the list is paged (issue 12); nobody has more ongoing orders than that.
    queryFn: async () =>
      (await listCitizenOrders({ query: { state: 'ongoing', limit: 100 }, throwOnError: true })).data.items,
  });
}

/** The citizen's ongoing orders of this offer (the list names the offer, not its catalogue id). */
export function ongoingOrdersOf(offer: OfferDetails, orders: OrderSummary[] | undefined): OrderSummary[] {
  return (orders ?? [])
    .filter((order) => order.offer_name === offer.name)
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}

export function useOrder(orderId: string) {
  return useQuery({
    queryKey: citizenKeys.order(orderId),
    queryFn: async () =>
      (await getCitizenOrder({ path: { order_id: orderId }, throwOnError: true })).data,
  });
}

export function usePlaceOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: OrderIn; idempotencyKey: string }) =>
      (await placeOrder({ body, headers: { 'Idempotency-Key': idempotencyKey }, throwOnError: true }))
        .data,
    onSuccess: (order) => {
      queryClient.setQueryData(citizenKeys.order(order.order_id), order);
      void queryClient.invalidateQueries({ queryKey: citizenKeys.allOrders });
      // Usage limits may hide the offer now.
      void queryClient.invalidateQueries({ queryKey: citizenKeys.offerLists });
    },
  });
}
