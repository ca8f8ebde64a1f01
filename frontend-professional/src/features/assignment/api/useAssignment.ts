import { useMutation } from '@tanstack/react-query';
import { assignOffer, findPatientOffers, removeAssignedOffer } from '@shared/client/sdk.gen';
import type { OfferForPatientOut, PatientOffers } from '@shared/client/types.gen';

/** An offer the unit may assign, and whether it is for this patient (`eligible`, and why not). */
export type OfferForPatient = OfferForPatientOut;
export type { PatientOffers };

/**
 * POST /api/staff/patient-offers: the patient (name, age, legal sex), the offers this unit
 * assigned them and the unit's assignable offers, each marked as for this patient or not.
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
