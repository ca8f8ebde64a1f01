import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listAssignableOffers, listAssignedOffers } from '@shared/client/sdk.gen';
import type { ListAssignedOffersData } from '@shared/client/types.gen';
import { staffKeys } from '../../../lib/queryKeys';

type Query = NonNullable<ListAssignedOffersData['query']>;
export type SortKey = NonNullable<Query['sort']>;
export type SortOrder = NonNullable<Query['order']>;

export interface AssignedOffersQuery {
  sort: SortKey;
  order: SortOrder;
  /** One offer's assignments only; '' for all. */
  catalogId: string;
  /** The `next_cursor` of the page before; null for the first page. */
  cursor: string | null;
  pageSize: number;
}

/**
 * GET /api/staff/assigned-offers for the selected care unit: sorted, filtered and paged by the
 * server (a cursor per page, so every page costs the server the same however deep).
 */
export function useAssignedOffers(careUnitHsaId: string | undefined, query: AssignedOffersQuery) {
  return useQuery({
    queryKey: staffKeys.assignedOffers(careUnitHsaId ?? '', query),
    queryFn: async () =>
      (
        await listAssignedOffers({
          query: {
            sort: query.sort,
            order: query.order,
            page_size: query.pageSize,
            ...(query.catalogId ? { catalog_id: query.catalogId } : {}),
            ...(query.cursor ? { cursor: query.cursor } : {}),
          },
          throwOnError: true,
        })
      ).data,
    enabled: Boolean(careUnitHsaId),
    placeholderData: keepPreviousData,
  });
}

/** The personal offers the unit may assign: what the list can be filtered by. */
export function useUnitOffers(careUnitHsaId: string | undefined) {
  return useQuery({
    queryKey: staffKeys.assignableOffers(careUnitHsaId ?? ''),
    queryFn: async () => (await listAssignableOffers({ throwOnError: true })).data,
    enabled: Boolean(careUnitHsaId),
    staleTime: 5 * 60_000,
  });
}
