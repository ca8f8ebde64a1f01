import { useQuery } from '@tanstack/react-query';
import { getInboxSummary } from '@shared/client/sdk.gen';
import type { InboxSummaryOut } from '@shared/client/types.gen';
import { citizenKeys } from '../../../lib/queryKeys';

export type InboxSummary = InboxSummaryOut;

/** The start page's news: unread messages and results not read yet. */
export function useInboxSummary() {
  return useQuery({
    queryKey: citizenKeys.inboxSummary,
    queryFn: async () => (await getInboxSummary({ throwOnError: true })).data,
  });
}
