import { useMutation } from '@tanstack/react-query';
import { searchContactTracing } from '@shared/client/sdk.gen';

/** Smittspårning: the person's home tests (POST: the personnummer stays out of URLs and logs). */
export function useContactTracingSearch() {
  return useMutation({
    mutationFn: async (personnummer: string) =>
      (await searchContactTracing({ body: { personnummer }, throwOnError: true })).data,
  });
}
