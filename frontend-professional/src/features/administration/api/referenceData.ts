// Lists the administration forms choose from.
import { useQuery } from '@tanstack/react-query';
import { listRegions } from '@shared/client/sdk.gen';
import { adminKeys } from '../../../lib/queryKeys';

export function useRegions() {
  return useQuery({
    queryKey: adminKeys.regions,
    queryFn: async () => (await listRegions({ throwOnError: true })).data,
    staleTime: Infinity,
  });
}
