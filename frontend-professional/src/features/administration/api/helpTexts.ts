import { useQuery } from '@tanstack/react-query';
import { listHelpTexts, putHelpText } from '@shared/client/sdk.gen';
import type { HelpTextIn } from '@shared/client/types.gen';
import { staffKeys } from '../../../lib/queryKeys';
import { ifMatch, useInvalidatingMutation } from './versioned';

/** The same list the fields show their help texts from (staffKeys.helpTexts), so a change shows at once. */
export function useAllHelpTexts() {
  return useQuery({
    queryKey: staffKeys.helpTexts,
    queryFn: async () => (await listHelpTexts({ throwOnError: true })).data,
  });
}

/** Creates a help text (no If-Match) or changes one (If-Match: its version). */
export function usePutHelpText() {
  return useInvalidatingMutation(
    async ({ key, body, etag }: { key: string; body: HelpTextIn; etag?: string }) =>
      (await putHelpText({ path: { key }, headers: etag ? ifMatch(etag) : undefined, body, throwOnError: true })).data,
    [staffKeys.helpTexts],
  );
}
