import { useQuery } from '@tanstack/react-query';
import { createProduct, listProducts, retireProduct, updateProduct } from '@shared/client/sdk.gen';
import type { ProductIn, ProductUpdate } from '@shared/client/types.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { ifMatch, useInvalidatingMutation } from './versioned';

export function useProducts() {
  return useQuery({
    queryKey: adminKeys.products,
    queryFn: async () => (await listProducts({ throwOnError: true })).data,
  });
}

export function useCreateProduct() {
  return useInvalidatingMutation(
    async (body: ProductIn) => (await createProduct({ body, throwOnError: true })).data,
    [adminKeys.products],
  );
}

/** Central administrators only; a product's ETag is its version from the list ('"3"'). */
export function useUpdateProduct() {
  return useInvalidatingMutation(
    async ({ code, body, etag }: { code: string; body: ProductUpdate; etag: string }) =>
      (await updateProduct({ path: { code }, headers: ifMatch(etag), body, throwOnError: true })).data,
    [adminKeys.products],
  );
}

/** Refused (409) while a current offer contains the product; past orders keep it. */
export function useRetireProduct() {
  return useInvalidatingMutation(
    async ({ code, etag }: { code: string; etag: string }) =>
      (await retireProduct({ path: { code }, headers: ifMatch(etag), throwOnError: true })).data,
    [adminKeys.products],
  );
}
