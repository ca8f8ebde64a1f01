import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  listResultLog,
  openResultRegistrationOrder,
  registerResult,
  searchResultLog,
  searchResultRegistrationOrders,
} from '@shared/client/sdk.gen';
import type {
  RegisterResultIn,
  RegistrationOrderOut,
  RegistrationOutcomeOut,
  RegistrationSearchIn,
} from '@shared/client/types.gen';
import { etagOf } from '../../../lib/problems';
import { resultRegistrationKeys } from '../../../lib/queryKeys';

export const LOG_PAGE_SIZE = 25;

/**
 * Sök invånare och beställning: by personnummer or by RID (POST: neither ever goes into a URL,
 * a log or a cache key).
 */
export function useSearchRegistrationOrders() {
  return useMutation({
    mutationFn: async (criteria: RegistrationSearchIn) =>
      (await searchResultRegistrationOrders({ body: criteria, throwOnError: true })).data,
  });
}

export interface OpenedRegistration {
  opened: RegistrationOrderOut;
  /** The order's version to register with (If-Match). */
  etag: string | undefined;
}

/** The order with every version of its results and the result templates it may be answered with. */
export function useRegistrationOrder(careUnitHsaId: string, orderId: string) {
  return useQuery({
    queryKey: resultRegistrationKeys.order(careUnitHsaId, orderId),
    queryFn: async (): Promise<OpenedRegistration> => {
      const { data, response } = await openResultRegistrationOrder({ path: { order_id: orderId }, throwOnError: true });
      return { opened: data, etag: etagOf(response, data.order.version) };
    },
    // Opening is audited: not again on every focus.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}

export interface RegisterInput {
  body: RegisterResultIn;
  etag: string | undefined;
  /** One key per Skicka svar: a second click or a retry is answered with the first answer. */
  idempotencyKey: string;
}

/** Skicka svar: registers (or corrects) the result; the answer is the order as it is now. */
export function useRegisterResult(careUnitHsaId: string, orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag, idempotencyKey }: RegisterInput): Promise<OpenedRegistration & { outcome: RegistrationOutcomeOut }> => {
      const { data, response } = await registerResult({
        path: { order_id: orderId },
        body,
        headers: { 'Idempotency-Key': idempotencyKey, ...(etag ? { 'If-Match': etag } : {}) },
        throwOnError: true,
      });
      return { opened: data, outcome: data, etag: etagOf(response, data.order.version) };
    },
    onSuccess: (result) => {
      queryClient.setQueryData(resultRegistrationKeys.order(careUnitHsaId, orderId), {
        opened: result.opened,
        etag: result.etag,
      });
      void queryClient.invalidateQueries({ queryKey: resultRegistrationKeys.logs(careUnitHsaId), refetchType: 'none' });
    },
  });
}

export interface LogQuery {
  fromDate: string;
  toDate: string;
  /** A personnummer or a RID narrows the log (sent in a POST body); empty: the whole log. */
  personnummer: string;
  rid: string;
  page: number;
}

/**
 * Svarslogg: GET for the unit's whole log within the dates, POST when narrowed to a personnummer or
 * a RID. The query key holds the page and dates only, never the personnummer or RID (a counter
 * of the search tells searches apart).
 */
export function useResultLog(careUnitHsaId: string, query: LogQuery, searchNumber: number) {
  const narrowed = Boolean(query.personnummer || query.rid);
  return useQuery({
    queryKey: resultRegistrationKeys.log(careUnitHsaId, {
      fromDate: query.fromDate,
      toDate: query.toDate,
      page: query.page,
      narrowed,
      searchNumber,
    }),
    queryFn: async () => {
      const dates = { from_date: query.fromDate || null, to_date: query.toDate || null };
      if (narrowed) {
        return (
          await searchResultLog({
            body: {
              ...dates,
              personnummer: query.personnummer || null,
              rid: query.rid || null,
              page: query.page,
              page_size: LOG_PAGE_SIZE,
            },
            throwOnError: true,
          })
        ).data;
      }
      return (
        await listResultLog({
          query: {
            ...(query.fromDate ? { from_date: query.fromDate } : {}),
            ...(query.toDate ? { to_date: query.toDate } : {}),
            page: query.page,
            page_size: LOG_PAGE_SIZE,
          },
          throwOnError: true,
        })
      ).data;
    },
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

/** Today in Sweden as YYYY-MM-DD (Idag). */
export function todayInSweden(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(now);
}

/** A fresh Idempotency-Key. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
