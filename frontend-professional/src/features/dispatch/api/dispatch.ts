// Etiketter (home kits) and Ordermottagning (anonymous kits ordered home) speak one contract:
// the waiting orders with their labels, print (→ Hanterad), export and batch receipt.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  exportKitDeliveryOrders,
  exportKitOrders,
  listKitDeliveryOrders,
  listKitOrders,
  printKitDeliveryLabels,
  printKitLabels,
  receiveKitDeliveryOrders,
  receiveKitOrders,
} from '@shared/client/sdk.gen';
import type { BatchOut, KitOrdersOut, PrintOut } from '@shared/client/types.gen';
import { dispatchKeys } from '../../../lib/queryKeys';

export type DispatchKind = 'labels' | 'order_receipt';
export type ExportFormat = 'xlsx' | 'csv';

export interface PrintRequest {
  orderIds: string[];
  /** Etiketter only: false prints the tube labels without the address label. */
  addressLabel: boolean;
  printer: string | undefined;
}

interface DispatchApi {
  list: () => Promise<KitOrdersOut>;
  print: (request: PrintRequest) => Promise<PrintOut>;
  exportFile: (orderIds: string[], format: ExportFormat) => Promise<{ blob: Blob; filename: string }>;
  receive: (orderIds: string[]) => Promise<BatchOut>;
}

const LIMIT = 1000;

function filenameOf(response: Response, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '');
  return match?.[1] ?? fallback;
}

const APIS: Record<DispatchKind, DispatchApi> = {
  labels: {
    list: async () => (await listKitOrders({ query: { limit: LIMIT }, throwOnError: true })).data,
    print: async ({ orderIds, addressLabel, printer }) =>
      (
        await printKitLabels({
          body: { order_ids: orderIds, address_label: addressLabel, printer: printer ?? null },
          throwOnError: true,
        })
      ).data,
    exportFile: async (orderIds, format) => {
      const { data, response } = await exportKitOrders({
        body: { order_ids: orderIds, format },
        parseAs: 'blob',
        throwOnError: true,
      });
      return { blob: data as Blob, filename: filenameOf(response, `hemkit.${format}`) };
    },
    receive: async (orderIds) => (await receiveKitOrders({ body: { order_ids: orderIds }, throwOnError: true })).data,
  },
  order_receipt: {
    list: async () => (await listKitDeliveryOrders({ query: { limit: LIMIT }, throwOnError: true })).data,
    print: async ({ orderIds, printer }) =>
      (await printKitDeliveryLabels({ body: { order_ids: orderIds, printer: printer ?? null }, throwOnError: true })).data,
    exportFile: async (orderIds, format) => {
      const { data, response } = await exportKitDeliveryOrders({
        body: { order_ids: orderIds, format },
        parseAs: 'blob',
        throwOnError: true,
      });
      return { blob: data as Blob, filename: filenameOf(response, `opersonliga-kit.${format}`) };
    },
    receive: async (orderIds) =>
      (await receiveKitDeliveryOrders({ body: { order_ids: orderIds }, throwOnError: true })).data,
  },
};

export function useWaitingOrders(kind: DispatchKind, careUnitHsaId: string) {
  return useQuery({
    queryKey: dispatchKeys.waiting(kind, careUnitHsaId),
    queryFn: APIS[kind].list,
    refetchOnWindowFocus: false,
  });
}

function useRefresh(kind: DispatchKind, careUnitHsaId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: dispatchKeys.waiting(kind, careUnitHsaId) });
}

export function usePrintOrders(kind: DispatchKind, careUnitHsaId: string) {
  const refresh = useRefresh(kind, careUnitHsaId);
  return useMutation({ mutationFn: APIS[kind].print, onSettled: refresh });
}

export function useReceiveOrders(kind: DispatchKind, careUnitHsaId: string) {
  const refresh = useRefresh(kind, careUnitHsaId);
  return useMutation({ mutationFn: APIS[kind].receive, onSettled: refresh });
}

/** Exportera: the file is handed to the browser as a download (never kept in the page). */
export function useExportOrders(kind: DispatchKind) {
  return useMutation({
    mutationFn: async ({ orderIds, format }: { orderIds: string[]; format: ExportFormat }) => {
      const { blob, filename } = await APIS[kind].exportFile(orderIds, format);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      return { filename, count: orderIds.length };
    },
  });
}
