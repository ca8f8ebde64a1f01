import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { listInboxMessages, markInboxMessageRead } from '@shared/client/sdk.gen';
import type { InboxMessageOut } from '@shared/client/types.gen';
import { citizenKeys } from '../../../lib/queryKeys';

export type InboxMessage = InboxMessageOut;

export const PAGE_SIZE = 20;

/** Inkorg, newest first, twenty at a time ("Visa fler" fetches the next page). */
export function useInbox() {
  return useInfiniteQuery({
    queryKey: citizenKeys.inboxPages,
    queryFn: async ({ pageParam }) =>
      (await listInboxMessages({ query: { page: pageParam, page_size: PAGE_SIZE }, throwOnError: true })).data,
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.page_size < last.total ? last.page + 1 : undefined),
  });
}

/** The citizen opened a message: it counts as read (here and on the start page). */
export function useMarkMessageRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (messageId: string) => {
      await markInboxMessageRead({ path: { message_id: messageId }, throwOnError: true });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: citizenKeys.allInbox });
    },
  });
}
