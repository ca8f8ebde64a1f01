import { useQuery } from '@tanstack/react-query';
import {
  closeDay,
  createSamplingUnit,
  createSlots,
  getSamplingUnit,
  listSamplingUnits,
  listSlotsAdmin,
  retireSamplingUnit,
  updateSamplingUnit,
} from '@shared/client/sdk.gen';
import type { SamplingUnitIn, SlotRuleIn } from '@shared/client/types.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { ifMatch, useInvalidatingMutation, useVersionedChange, useVersionedQuery } from './versioned';

export function useSamplingUnits() {
  return useQuery({
    queryKey: adminKeys.samplingUnits,
    queryFn: async () => (await listSamplingUnits({ throwOnError: true })).data,
  });
}

export function useCreateSamplingUnit() {
  return useInvalidatingMutation(
    async (body: SamplingUnitIn) => (await createSamplingUnit({ body, throwOnError: true })).data,
    [adminKeys.samplingUnits],
  );
}

export function useSamplingUnit(unitId: string) {
  return useVersionedQuery(adminKeys.samplingUnit(unitId), () =>
    getSamplingUnit({ path: { unit_id: unitId }, throwOnError: true }),
  );
}

export function useUpdateSamplingUnit(unitId: string) {
  return useVersionedChange({
    send: ({ body, etag }: { body: SamplingUnitIn; etag: string }) =>
      updateSamplingUnit({ path: { unit_id: unitId }, headers: ifMatch(etag), body, throwOnError: true }),
    itemKey: () => adminKeys.samplingUnit(unitId),
    invalidates: [adminKeys.samplingUnits],
  });
}

/** Retiring is not deleting: the unit takes no new bookings; refused (409) while future times are booked. */
export function useRetireSamplingUnit(unitId: string) {
  return useVersionedChange({
    send: (etag: string) => retireSamplingUnit({ path: { unit_id: unitId }, headers: ifMatch(etag), throwOnError: true }),
    itemKey: () => adminKeys.samplingUnit(unitId),
    invalidates: [adminKeys.samplingUnits, adminKeys.slotsOf(unitId)],
  });
}

export function useSlots(unitId: string, firstDay: string, days: number) {
  return useQuery({
    queryKey: adminKeys.slots(unitId, firstDay, days),
    queryFn: async () =>
      (await listSlotsAdmin({ path: { unit_id: unitId }, query: { first_day: firstDay, days }, throwOnError: true }))
        .data,
    enabled: Boolean(firstDay),
  });
}

export function useCreateSlots(unitId: string) {
  return useInvalidatingMutation(
    async (body: SlotRuleIn) => (await createSlots({ path: { unit_id: unitId }, body, throwOnError: true })).data,
    [adminKeys.slotsOf(unitId)],
  );
}

export function useCloseDay(unitId: string) {
  return useInvalidatingMutation(async (day: string) => {
    await closeDay({ path: { unit_id: unitId }, body: { day }, throwOnError: true });
  }, [adminKeys.slotsOf(unitId)]);
}
