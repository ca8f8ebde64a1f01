import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  cancelOrder,
  deleteOrder,
  getCitizenOrder,
  listCitizenOrders,
  markResultsRead,
} from '@shared/client/sdk.gen';
import type { ListCitizenOrdersResponse, OrderDetails } from '@shared/client/types.gen';
import { citizenKeys } from '../../../lib/queryKeys';

export type { OrderDetails };
/** One order of the list (named by the operation, whatever the schema is called). */
export type OrderSummary = ListCitizenOrdersResponse['items'][number];
export type OrderLine = OrderDetails['lines'][number];
export type OrderResult = NonNullable<OrderLine['result']>;
export type OrdersState = 'ongoing' | 'previous';

/** The orders list, newest first, a page at a time: "Visa fler" fetches the next page (`next_cursor`). */
export function useOrders(state: OrdersState) {
  return useInfiniteQuery({
    queryKey: citizenKeys.orderPages(state),
    queryFn: async ({ pageParam }) =>
      (
        await listCitizenOrders({
          query: { state, ...(pageParam ? { cursor: pageParam } : {}) },
          throwOnError: true,
        })
      ).data,
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });
}

export function useOrder(orderId: string) {
  return useQuery({
    queryKey: citizenKeys.order(orderId),
    queryFn: async () =>
      (await getCitizenOrder({ path: { order_id: orderId }, throwOnError: true })).data,
  });
}

export function useCancelOrder(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (version: number) =>
      (
        await cancelOrder({
          path: { order_id: orderId },
          // The version we showed: a stale view answers 412 instead of cancelling blindly.
          headers: { 'If-Match': `"${version}"` },
          throwOnError: true,
        })
      ).data,
    onSuccess: (order) => {
      queryClient.setQueryData(citizenKeys.order(orderId), order);
      void queryClient.invalidateQueries({ queryKey: citizenKeys.orderLists });
    },
  });
}

export function useDeleteOrder(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (confirmPersonnummer: string) => {
      await deleteOrder({
        path: { order_id: orderId },
        body: { confirm_personnummer: confirmPersonnummer },
        throwOnError: true,
      });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: citizenKeys.order(orderId) });
      void queryClient.invalidateQueries({ queryKey: citizenKeys.orderLists });
    },
  });
}

export function useMarkResultsRead(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await markResultsRead({ path: { order_id: orderId }, throwOnError: true });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: citizenKeys.orderLists });
      // The start page's "new results" (Inkorg's summary).
      void queryClient.invalidateQueries({ queryKey: citizenKeys.allInbox });
    },
  });
}
