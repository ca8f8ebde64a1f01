import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  addWorklistComment,
  archiveWorklistItem,
  getWorklistChanges,
  listWorklist,
  listWorklistComments,
  unarchiveWorklistItem,
} from '@shared/client/sdk.gen';
import type { ListWorklistData, WorklistItemOut } from '@shared/client/types.gen';
import { worklistKeys } from '../../../lib/queryKeys';
import { hasStatus } from '../../../lib/problems';

export const PAGE_SIZE = 25;
/** How often the list asks whether anything changed (the answer is 304 while nothing did). */
export const POLL_INTERVAL_MS = 15_000;

export type Insight = WorklistItemOut['insight'];
export type SortKey = 'result_date' | 'read_date';
export type SortOrder = 'asc' | 'desc';

/** What the staff member chose: which list, filters, sorting and page. */
export interface WorklistQuery {
  archived: boolean;
  insight: Insight | '';
  read: '' | 'read' | 'unread';
  takenOver: '' | 'yes' | 'no';
  resultFrom: string;
  resultTo: string;
  sort: SortKey;
  order: SortOrder;
  page: number;
}

export const INITIAL_QUERY: WorklistQuery = {
  archived: false,
  insight: '',
  read: '',
  takenOver: '',
  resultFrom: '',
  resultTo: '',
  sort: 'result_date',
  order: 'desc',
  page: 1,
};

function toParams(query: WorklistQuery): NonNullable<ListWorklistData['query']> {
  return {
    archived: query.archived,
    insight: query.insight ? [query.insight] : undefined,
    read: query.read === '' ? undefined : query.read === 'read',
    taken_over: query.takenOver === '' ? undefined : query.takenOver === 'yes',
    result_from: query.resultFrom || undefined,
    result_to: query.resultTo || undefined,
    sort: query.sort,
    order: query.order,
    page: query.page,
    page_size: PAGE_SIZE,
  };
}

/**
 * One page of the unit's worklist. Every fetch is audited on the server, so it is fetched when
 * the query changes or the unit's change token says something changed — not on every focus.
 */
export function useWorklist(careUnitHsaId: string, query: WorklistQuery) {
  return useQuery({
    queryKey: worklistKeys.list(careUnitHsaId, query),
    queryFn: async () =>
      (
        await listWorklist({
          // Lists go as repeated parameters (insight=positive&insight=…): the client's default.
          query: toParams(query),
          throwOnError: true,
        })
      ).data,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}

/**
 * Polls the unit's change token every POLL_INTERVAL_MS with If-None-Match: the token the list
 * was read with. While nothing changed the answer is 304 (that token); when the token moved,
 * the unit's lists are read again and `onChanged` is told.
 */
export function useWorklistChanges(careUnitHsaId: string, since: string | undefined, onChanged: () => void) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: worklistKeys.changes(careUnitHsaId, since ?? ''),
    enabled: since !== undefined,
    refetchInterval: POLL_INTERVAL_MS,
    refetchIntervalInBackground: false,
    queryFn: async (): Promise<string> => {
      try {
        const { data } = await getWorklistChanges({
          headers: { 'If-None-Match': `"${since ?? ''}"` },
          throwOnError: true,
        });
        if (data.change_token !== since) {
          void queryClient.invalidateQueries({ queryKey: worklistKeys.lists(careUnitHsaId) });
          onChanged();
        }
        return data.change_token;
      } catch (error) {
        if (hasStatus(error, 304)) return since ?? '';
        throw error;
      }
    },
  });
}

export function useSetArchived(careUnitHsaId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ item, archived }: { item: WorklistItemOut; archived: boolean }) => {
      const call = archived ? archiveWorklistItem : unarchiveWorklistItem;
      return (
        await call({
          path: { item_id: item.id },
          headers: { 'If-Match': `"${item.version}"` },
          throwOnError: true,
        })
      ).data;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: worklistKeys.lists(careUnitHsaId) }),
  });
}

/** The result's comments, read when the comments dialog opens (audited on the server). */
export function useWorklistComments(careUnitHsaId: string, itemId: string) {
  return useQuery({
    queryKey: worklistKeys.comments(careUnitHsaId, itemId),
    queryFn: async () => (await listWorklistComments({ path: { item_id: itemId }, throwOnError: true })).data,
    refetchOnWindowFocus: false,
  });
}

export function useAddComment(careUnitHsaId: string, itemId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (text: string) =>
      (await addWorklistComment({ path: { item_id: itemId }, body: { text }, throwOnError: true })).data,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: worklistKeys.comments(careUnitHsaId, itemId) });
      void queryClient.invalidateQueries({ queryKey: worklistKeys.lists(careUnitHsaId) });
    },
  });
}
