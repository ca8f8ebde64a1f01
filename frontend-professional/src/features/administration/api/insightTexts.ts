import { useQuery } from '@tanstack/react-query';
import { listInsightTexts, updateInsightText } from '@shared/client/sdk.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { ifMatch, useInvalidatingMutation } from './versioned';

/** The default text of each insight (Positivt, Negativt, Tekniskt fel, Svar). */
export function useInsightTexts() {
  return useQuery({
    queryKey: adminKeys.insightTexts,
    queryFn: async () => (await listInsightTexts({ throwOnError: true })).data,
  });
}

/** Changes one default (central administrators; If-Match: the version shown). */
export function useUpdateInsightText() {
  return useInvalidatingMutation(
    async ({ insight, text, etag }: { insight: 'positive' | 'negative' | 'technical_error' | 'answer'; text: string; etag: string }) =>
      (await updateInsightText({ path: { insight }, headers: ifMatch(etag), body: { text }, throwOnError: true })).data,
    [adminKeys.insightTexts],
  );
}
