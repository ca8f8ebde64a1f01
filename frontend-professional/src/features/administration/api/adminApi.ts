// Queries and mutations of the administration API. A single resource is loaded together with
// its ETag; every change sends that ETag back as If-Match (optimistic concurrency).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  closeDay,
  createCareUnit,
  createLaboratory,
  createOffer,
  createProduct,
  createResultTemplate,
  createSamplingUnit,
  createSlots,
  getCareUnit,
  getLaboratory,
  getOfferAdmin,
  grantPermission,
  listAdministeredCareUnits,
  listHelpTexts,
  listLaboratories,
  listOffersAdmin,
  listPermissions,
  listProducts,
  listRegions,
  listResultTemplates,
  getSamplingUnit,
  listSamplingUnits,
  listSlotsAdmin,
  putHelpText,
  retireCareUnit,
  retireLaboratory,
  retireOffer,
  retireProduct,
  retireSamplingUnit,
  revokePermission,
  updateCareUnit,
  updateLaboratory,
  updateOffer,
  updateProduct,
  updateResultTemplate,
  updateSamplingUnit,
} from '../../../client/sdk.gen';
import type {
  CareUnitCreate,
  CareUnitOut,
  CareUnitUpdate,
  HelpTextIn,
  LaboratoryCreate,
  LaboratoryOut,
  LaboratoryUpdate,
  OfferIn,
  OfferOut,
  PermissionIn,
  ProductIn,
  ProductUpdate,
  ResultTemplateIn,
  SamplingUnitIn,
  SlotRuleIn,
} from '../../../client/types.gen';
import { etagOf } from '../../../lib/problems';

export interface Versioned<T> {
  item: T;
  /** The ETag the item was loaded with, sent back as If-Match. */
  etag: string;
}

function versioned<T extends { version: number }>(data: T, response: Response | undefined): Versioned<T> {
  return { item: data, etag: etagOf(response, data.version) ?? `"${data.version}"` };
}

const keys = {
  regions: ['admin', 'regions'] as const,
  careUnits: ['admin', 'care-units'] as const,
  careUnit: (hsaId: string) => ['admin', 'care-unit', hsaId] as const,
  samplingUnits: ['admin', 'sampling-units'] as const,
  samplingUnit: (unitId: string) => ['admin', 'sampling-unit', unitId] as const,
  slots: (unitId: string, firstDay: string, days: number) => ['admin', 'slots', unitId, firstDay, days] as const,
  laboratories: ['admin', 'laboratories'] as const,
  laboratory: (code: string) => ['admin', 'laboratory', code] as const,
  resultTemplates: (code: string) => ['admin', 'result-templates', code] as const,
  products: ['admin', 'products'] as const,
  offers: ['admin', 'offers'] as const,
  offer: (catalogId: string) => ['admin', 'offer', catalogId] as const,
  permissions: ['admin', 'permissions'] as const,
  helpTexts: ['staff', 'help-texts'] as const,
};

// --- reference data ----------------------------------------------------------------------

export function useRegions() {
  return useQuery({
    queryKey: keys.regions,
    queryFn: async () => (await listRegions({ throwOnError: true })).data,
    staleTime: Infinity,
  });
}

export function useCareUnits() {
  return useQuery({
    queryKey: keys.careUnits,
    queryFn: async () => (await listAdministeredCareUnits({ throwOnError: true })).data,
  });
}

export function useProducts() {
  return useQuery({
    queryKey: keys.products,
    queryFn: async () => (await listProducts({ throwOnError: true })).data,
  });
}

export function useLaboratories() {
  return useQuery({
    queryKey: keys.laboratories,
    queryFn: async () => (await listLaboratories({ throwOnError: true })).data,
  });
}

export function useOffers() {
  return useQuery({
    queryKey: keys.offers,
    queryFn: async () => (await listOffersAdmin({ throwOnError: true })).data,
  });
}

// --- care units ----------------------------------------------------------------------------

export function useCareUnit(hsaId: string) {
  return useQuery({
    queryKey: keys.careUnit(hsaId),
    queryFn: async () => {
      const { data, response } = await getCareUnit({ path: { hsa_id: hsaId }, throwOnError: true });
      return versioned(data, response);
    },
  });
}

export function useCreateCareUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CareUnitCreate) => (await createCareUnit({ body, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.careUnits }),
  });
}

export function useUpdateCareUnit(hsaId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: CareUnitUpdate; etag: string }) => {
      const { data, response } = await updateCareUnit({
        path: { hsa_id: hsaId },
        headers: { 'If-Match': etag },
        body,
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result: Versioned<CareUnitOut>) => {
      queryClient.setQueryData(keys.careUnit(hsaId), result);
      void queryClient.invalidateQueries({ queryKey: keys.careUnits });
    },
  });
}

export function useRetireCareUnit(hsaId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string) => {
      const { data, response } = await retireCareUnit({
        path: { hsa_id: hsaId },
        headers: { 'If-Match': etag },
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(keys.careUnit(hsaId), result);
      void queryClient.invalidateQueries({ queryKey: keys.careUnits });
    },
  });
}

// --- sampling units and times -----------------------------------------------------------

export function useSamplingUnits() {
  return useQuery({
    queryKey: keys.samplingUnits,
    queryFn: async () => (await listSamplingUnits({ throwOnError: true })).data,
  });
}

export function useCreateSamplingUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SamplingUnitIn) => (await createSamplingUnit({ body, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.samplingUnits }),
  });
}

export function useSamplingUnit(unitId: string) {
  return useQuery({
    queryKey: keys.samplingUnit(unitId),
    queryFn: async () => {
      const { data, response } = await getSamplingUnit({ path: { unit_id: unitId }, throwOnError: true });
      return versioned(data, response);
    },
  });
}

export function useUpdateSamplingUnit(unitId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: SamplingUnitIn; etag: string }) => {
      const { data, response } = await updateSamplingUnit({
        path: { unit_id: unitId },
        headers: { 'If-Match': etag },
        body,
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(keys.samplingUnit(unitId), result);
      void queryClient.invalidateQueries({ queryKey: keys.samplingUnits });
    },
  });
}

/** Retiring is not deleting: the unit takes no new bookings; refused (409) while future times are booked. */
export function useRetireSamplingUnit(unitId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string) => {
      const { data, response } = await retireSamplingUnit({
        path: { unit_id: unitId },
        headers: { 'If-Match': etag },
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(keys.samplingUnit(unitId), result);
      void queryClient.invalidateQueries({ queryKey: keys.samplingUnits });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'slots', unitId] });
    },
  });
}

export function useSlots(unitId: string, firstDay: string, days: number) {
  return useQuery({
    queryKey: keys.slots(unitId, firstDay, days),
    queryFn: async () =>
      (await listSlotsAdmin({ path: { unit_id: unitId }, query: { first_day: firstDay, days }, throwOnError: true }))
        .data,
    enabled: Boolean(firstDay),
  });
}

export function useCreateSlots(unitId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SlotRuleIn) =>
      (await createSlots({ path: { unit_id: unitId }, body, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'slots', unitId] }),
  });
}

export function useCloseDay(unitId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (day: string) => {
      await closeDay({ path: { unit_id: unitId }, body: { day }, throwOnError: true });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'slots', unitId] }),
  });
}

// --- laboratories -----------------------------------------------------------------------------

export function useLaboratory(code: string) {
  return useQuery({
    queryKey: keys.laboratory(code),
    queryFn: async () => {
      const { data, response } = await getLaboratory({ path: { code }, throwOnError: true });
      return versioned(data, response);
    },
  });
}

export function useCreateLaboratory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: LaboratoryCreate) => {
      const { data, response } = await createLaboratory({ body, throwOnError: true });
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(keys.laboratory(result.item.code), result);
      void queryClient.invalidateQueries({ queryKey: keys.laboratories });
    },
  });
}

export function useUpdateLaboratory(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: LaboratoryUpdate; etag: string }) => {
      const { data, response } = await updateLaboratory({
        path: { code },
        headers: { 'If-Match': etag },
        body,
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result: Versioned<LaboratoryOut>) => {
      queryClient.setQueryData(keys.laboratory(code), result);
      void queryClient.invalidateQueries({ queryKey: keys.laboratories });
    },
  });
}

/** Retiring is not deleting: the laboratory is no longer a sampling place for offers. */
export function useRetireLaboratory(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string) => {
      const { data, response } = await retireLaboratory({
        path: { code },
        headers: { 'If-Match': etag },
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(keys.laboratory(code), result);
      void queryClient.invalidateQueries({ queryKey: keys.laboratories });
    },
  });
}

export function useResultTemplates(code: string) {
  return useQuery({
    queryKey: keys.resultTemplates(code),
    queryFn: async () => (await listResultTemplates({ path: { code }, throwOnError: true })).data,
  });
}

export function useCreateResultTemplate(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ResultTemplateIn) =>
      (await createResultTemplate({ path: { code }, body, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.resultTemplates(code) }),
  });
}

/** A template's ETag is its version from the list ('"3"'). */
export function useUpdateResultTemplate(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body, etag }: { id: string; body: ResultTemplateIn; etag: string }) =>
      (
        await updateResultTemplate({
          path: { template_id: id },
          headers: { 'If-Match': etag },
          body,
          throwOnError: true,
        })
      ).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.resultTemplates(code) }),
  });
}

// --- products -------------------------------------------------------------------------------

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ProductIn) => (await createProduct({ body, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.products }),
  });
}

/** Central administrators only; a product's ETag is its version from the list ('"3"'). */
export function useUpdateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ code, body, etag }: { code: string; body: ProductUpdate; etag: string }) =>
      (await updateProduct({ path: { code }, headers: { 'If-Match': etag }, body, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.products }),
  });
}

/** Refused (409) while a current offer contains the product; past orders keep it. */
export function useRetireProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ code, etag }: { code: string; etag: string }) =>
      (await retireProduct({ path: { code }, headers: { 'If-Match': etag }, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.products }),
  });
}

// --- offers ---------------------------------------------------------------------------------

export function useOffer(catalogId: string) {
  return useQuery({
    queryKey: keys.offer(catalogId),
    queryFn: async () => {
      const { data, response } = await getOfferAdmin({ path: { catalog_id: catalogId }, throwOnError: true });
      return versioned(data, response);
    },
  });
}

export function useCreateOffer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: OfferIn) => {
      const { data, response } = await createOffer({ body, throwOnError: true });
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(keys.offer(result.item.catalog_id), result);
      void queryClient.invalidateQueries({ queryKey: keys.offers });
    },
  });
}

/** PUT saves a new version of the offer. */
export function useUpdateOffer(catalogId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, etag }: { body: OfferIn; etag: string }) => {
      const { data, response } = await updateOffer({
        path: { catalog_id: catalogId },
        headers: { 'If-Match': etag },
        body,
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result: Versioned<OfferOut>) => {
      queryClient.setQueryData(keys.offer(catalogId), result);
      void queryClient.invalidateQueries({ queryKey: keys.offers });
    },
  });
}

export function useRetireOffer(catalogId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string) => {
      const { data, response } = await retireOffer({
        path: { catalog_id: catalogId },
        headers: { 'If-Match': etag },
        throwOnError: true,
      });
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(keys.offer(catalogId), result);
      void queryClient.invalidateQueries({ queryKey: keys.offers });
    },
  });
}

// --- permissions ------------------------------------------------------------------------------

export function usePermissions() {
  return useQuery({
    queryKey: keys.permissions,
    queryFn: async () => (await listPermissions({ throwOnError: true })).data,
  });
}

export function useGrantPermission() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: PermissionIn) => (await grantPermission({ body, throwOnError: true })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.permissions }),
  });
}

export function useRevokePermission() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await revokePermission({ path: { permission_id: id }, throwOnError: true });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.permissions }),
  });
}

// --- help texts -------------------------------------------------------------------------------

export function useAllHelpTexts() {
  return useQuery({
    queryKey: keys.helpTexts,
    queryFn: async () => (await listHelpTexts({ throwOnError: true })).data,
  });
}

/** Creates a help text (no If-Match) or changes one (If-Match: its version). */
export function usePutHelpText() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ key, body, etag }: { key: string; body: HelpTextIn; etag?: string }) =>
      (
        await putHelpText({
          path: { key },
          headers: etag ? { 'If-Match': etag } : undefined,
          body,
          throwOnError: true,
        })
      ).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.helpTexts }),
  });
}
