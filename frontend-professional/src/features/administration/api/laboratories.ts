import { useQuery } from '@tanstack/react-query';
import {
  createLaboratory,
  createResultTemplate,
  getLaboratory,
  listLaboratories,
  listResultTemplates,
  retireLaboratory,
  updateLaboratory,
  updateResultTemplate,
} from '@shared/client/sdk.gen';
import type { LaboratoryCreate, LaboratoryUpdate, ResultTemplateIn } from '@shared/client/types.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { ifMatch, useInvalidatingMutation, useVersionedChange, useVersionedQuery } from './versioned';

export function useLaboratories() {
  return useQuery({
    queryKey: adminKeys.laboratories,
    queryFn: async () => (await listLaboratories({ throwOnError: true })).data,
  });
}

export function useLaboratory(code: string) {
  return useVersionedQuery(adminKeys.laboratory(code), () => getLaboratory({ path: { code }, throwOnError: true }));
}

export function useCreateLaboratory() {
  return useVersionedChange({
    send: (body: LaboratoryCreate) => createLaboratory({ body, throwOnError: true }),
    itemKey: (lab) => adminKeys.laboratory(lab.code),
    invalidates: [adminKeys.laboratories],
  });
}

export function useUpdateLaboratory(code: string) {
  return useVersionedChange({
    send: ({ body, etag }: { body: LaboratoryUpdate; etag: string }) =>
      updateLaboratory({ path: { code }, headers: ifMatch(etag), body, throwOnError: true }),
    itemKey: () => adminKeys.laboratory(code),
    invalidates: [adminKeys.laboratories],
  });
}

/** Retiring is not deleting: the laboratory is no longer a sampling place for offers. */
export function useRetireLaboratory(code: string) {
  return useVersionedChange({
    send: (etag: string) => retireLaboratory({ path: { code }, headers: ifMatch(etag), throwOnError: true }),
    itemKey: () => adminKeys.laboratory(code),
    invalidates: [adminKeys.laboratories],
  });
}

export function useResultTemplates(code: string) {
  return useQuery({
    queryKey: adminKeys.resultTemplates(code),
    queryFn: async () => (await listResultTemplates({ path: { code }, throwOnError: true })).data,
  });
}

export function useCreateResultTemplate(code: string) {
  return useInvalidatingMutation(
    async (body: ResultTemplateIn) => (await createResultTemplate({ path: { code }, body, throwOnError: true })).data,
    [adminKeys.resultTemplates(code)],
  );
}

/** A template's ETag is its version from the list ('"3"'). */
export function useUpdateResultTemplate(code: string) {
  return useInvalidatingMutation(
    async ({ id, body, etag }: { id: string; body: ResultTemplateIn; etag: string }) =>
      (await updateResultTemplate({ path: { template_id: id }, headers: ifMatch(etag), body, throwOnError: true })).data,
    [adminKeys.resultTemplates(code)],
  );
}
