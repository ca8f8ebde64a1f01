import { useMutation, useQuery } from '@tanstack/react-query';
import {
  assignOffer,
  findPatientOffers,
  listAssignableOffers,
  removeAssignedOffer,
} from '@shared/client/sdk.gen';
import type { AssignableOfferOut, PatientOffers } from '@shared/client/types.gen';
import { staffKeys } from '../../../lib/queryKeys';

export type { AssignableOfferOut, PatientOffers };

/** GET /api/staff/assignable-offers: the personal offers the selected care unit may assign. */
export function useAssignableOffers(careUnitHsaId: string | undefined) {
  return useQuery({
    queryKey: staffKeys.assignableOffers(careUnitHsaId ?? ''),
    queryFn: async () => (await listAssignableOffers({ throwOnError: true })).data,
    enabled: Boolean(careUnitHsaId),
  });
}

/**
 * POST /api/staff/patient-offers: the patient's name and the offers this unit assigned them.
 * A mutation, not a query: the personnummer goes in the body and must not end up in a cache key.
 */
export function useFindPatient() {
  return useMutation({
    mutationFn: async (personnummer: string) =>
      (await findPatientOffers({ body: { personnummer }, throwOnError: true })).data,
  });
}

export function useAssignOffer() {
  return useMutation({
    mutationFn: async (input: { personnummer: string; catalogId: string }) =>
      (
        await assignOffer({
          body: { personnummer: input.personnummer, catalog_id: input.catalogId },
          throwOnError: true,
        })
      ).data,
  });
}

export function useRemoveAssignedOffer() {
  return useMutation({
    mutationFn: async (assignmentId: string) => {
      await removeAssignedOffer({ path: { assignment_id: assignmentId }, throwOnError: true });
    },
  });
}
