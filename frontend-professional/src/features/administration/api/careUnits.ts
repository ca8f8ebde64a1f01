import { useQuery } from '@tanstack/react-query';
import { createCareUnit, getCareUnit, listAdministeredCareUnits, retireCareUnit, updateCareUnit } from '@shared/client/sdk.gen';
import type { CareUnitCreate, CareUnitUpdate } from '@shared/client/types.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { ifMatch, useInvalidatingMutation, useVersionedChange, useVersionedQuery } from './versioned';

export function useCareUnits() {
  return useQuery({
    queryKey: adminKeys.careUnits,
    queryFn: async () => (await listAdministeredCareUnits({ throwOnError: true })).data,
  });
}

export function useCareUnit(hsaId: string) {
  return useVersionedQuery(adminKeys.careUnit(hsaId), () => getCareUnit({ path: { hsa_id: hsaId }, throwOnError: true }));
}

export function useCreateCareUnit() {
  return useInvalidatingMutation(
    async (body: CareUnitCreate) => (await createCareUnit({ body, throwOnError: true })).data,
    [adminKeys.careUnits],
  );
}

export function useUpdateCareUnit(hsaId: string) {
  return useVersionedChange({
    send: ({ body, etag }: { body: CareUnitUpdate; etag: string }) =>
      updateCareUnit({ path: { hsa_id: hsaId }, headers: ifMatch(etag), body, throwOnError: true }),
    itemKey: () => adminKeys.careUnit(hsaId),
    invalidates: [adminKeys.careUnits],
  });
}

export function useRetireCareUnit(hsaId: string) {
  return useVersionedChange({
    send: (etag: string) => retireCareUnit({ path: { hsa_id: hsaId }, headers: ifMatch(etag), throwOnError: true }),
    itemKey: () => adminKeys.careUnit(hsaId),
    invalidates: [adminKeys.careUnits],
  });
}
