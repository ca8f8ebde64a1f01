import { useMutation } from '@tanstack/react-query';
import { searchTreatmentResults, takeOverTreatment } from '@shared/client/sdk.gen';
import type { TreatmentTakeoverOut } from '@shared/client/types.gen';

/** The patient's positive results (POST: the personnummer stays out of URLs and logs). */
export function useSearchPositiveResults() {
  return useMutation({
    mutationFn: async (personnummer: string) =>
      (await searchTreatmentResults({ body: { personnummer }, throwOnError: true })).data,
  });
}

/** Registers the take-over at the chosen care unit (201), or tells it was done already (200). */
export function useTakeOver() {
  return useMutation({
    mutationFn: async (input: { personnummer: string; resultId: string }): Promise<TreatmentTakeoverOut> =>
      (
        await takeOverTreatment({
          body: { personnummer: input.personnummer, result_id: input.resultId },
          throwOnError: true,
        })
      ).data,
  });
}
