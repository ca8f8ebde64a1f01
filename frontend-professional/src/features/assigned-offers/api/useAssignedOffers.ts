import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listAssignedOffers } from '@shared/client/sdk.gen';
import type { ListAssignedOffersData } from '@shared/client/types.gen';
import { staffKeys } from '../../../lib/queryKeys';

type Query = NonNullable<ListAssignedOffersData['query']>;
export type SortKey = NonNullable<Query['sort']>;
export type SortOrder = NonNullable<Query['order']>;

export interface AssignedOffersQuery {
  sort: SortKey;
  order: SortOrder;
  page: number;
  pageSize: number;
}

/** GET /api/staff/assigned-offers for the selected care unit, sorted and paged by the server. */
export function useAssignedOffers(careUnitHsaId: string | undefined, query: AssignedOffersQuery) {
  return useQuery({
    queryKey: staffKeys.assignedOffers(careUnitHsaId ?? '', query),
    queryFn: async () =>
      (
        await listAssignedOffers({
          query: { sort: query.sort, order: query.order, page: query.page, page_size: query.pageSize },
          throwOnError: true,
        })
      ).data,
    enabled: Boolean(careUnitHsaId),
    placeholderData: keepPreviousData,
  });
}
