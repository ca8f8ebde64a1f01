import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  listSampledOrders,
  listSamplingBookings,
  listSamplingPrintLog,
  openSamplingOrder,
  reprintSamplingLabels,
  sampleOrder,
  searchSamplingOrders,
} from '@shared/client/sdk.gen';
import type { LabelsOut, OpenedOrderOut } from '@shared/client/types.gen';
import { samplingKeys } from '../../../lib/queryKeys';
import { etagOf } from '../../../lib/problems';

export const PAGE_SIZE = 25;

/** Sök beställning: the citizen's orders still to be sampled (POST: the personnummer stays out of URLs and logs). */
export function useSearchOrders() {
  return useMutation({
    mutationFn: async (personnummer: string) =>
      (await searchSamplingOrders({ body: { personnummer }, throwOnError: true })).data,
  });
}

export function useBookings(careUnitHsaId: string) {
  return useQuery({
    queryKey: samplingKeys.bookings(careUnitHsaId),
    queryFn: async () => (await listSamplingBookings({ throwOnError: true })).data,
  });
}

export function useSampledOrders(careUnitHsaId: string, page: number) {
  return useQuery({
    queryKey: samplingKeys.sampled(careUnitHsaId, page),
    queryFn: async () => (await listSampledOrders({ query: { page, page_size: PAGE_SIZE }, throwOnError: true })).data,
    placeholderData: keepPreviousData,
  });
}

export function usePrintLog(careUnitHsaId: string, page: number) {
  return useQuery({
    queryKey: samplingKeys.printLog(careUnitHsaId, page),
    queryFn: async () => (await listSamplingPrintLog({ query: { page, page_size: PAGE_SIZE }, throwOnError: true })).data,
    placeholderData: keepPreviousData,
  });
}

export interface Opened {
  opened: OpenedOrderOut;
  /** The version to sample with (If-Match). */
  etag: string | undefined;
}

/** Opens the order as a laboratory (null: the one the server chooses, or none while one has to be chosen). */
export function useOpenedOrder(orderId: string, laboratoryCode: string | null) {
  return useQuery({
    queryKey: samplingKeys.order(orderId, laboratoryCode),
    queryFn: async (): Promise<Opened> => {
      const { data, response } = await openSamplingOrder({
        path: { order_id: orderId },
        query: laboratoryCode ? { laboratory_code: laboratoryCode } : undefined,
        throwOnError: true,
      });
      return { opened: data, etag: etagOf(response, data.order.version) };
    },
    // Opening is audited: not again on every focus.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}

export interface SampleInput {
  etag: string | undefined;
  laboratoryCode: string | null;
  sampledAt: string;
  printer: string | undefined;
}

/** Provtagen: the sampling time and laboratory are registered (and locked); the answer is the labels. */
export function useSampleOrder(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: SampleInput): Promise<LabelsOut> =>
      (
        await sampleOrder({
          path: { order_id: orderId },
          body: { laboratory_code: input.laboratoryCode, sampled_at: input.sampledAt, printer: input.printer ?? null },
          headers: input.etag ? { 'If-Match': input.etag } : undefined,
          throwOnError: true,
        })
      ).data,
    onSettled: () => queryClient.invalidateQueries({ queryKey: samplingKeys.all, refetchType: 'none' }),
  });
}

export function useReprint(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (printer: string | undefined): Promise<LabelsOut> =>
      (await reprintSamplingLabels({ path: { order_id: orderId }, body: { printer: printer ?? null }, throwOnError: true }))
        .data,
    onSettled: () => queryClient.invalidateQueries({ queryKey: samplingKeys.all, refetchType: 'none' }),
  });
}
