// Optimistic concurrency for administration: a single resource is loaded together with its
// ETag, and every change sends that ETag back as If-Match. These helpers are the one place
// that does so; each resource's module only names its calls and its query keys.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryKey } from '@tanstack/react-query';
import { etagOf } from '../../../lib/problems';

export interface Versioned<T> {
  item: T;
  /** The ETag the item was loaded with, sent back as If-Match. */
  etag: string;
}

/** What a generated call with `throwOnError: true` resolves to. */
interface Answer<T> {
  data: T;
  response: Response;
}

export function versioned<T extends { version: number }>(data: T, response: Response | undefined): Versioned<T> {
  return { item: data, etag: etagOf(response, data.version) ?? `"${data.version}"` };
}

/** GET one resource with its ETag. */
export function useVersionedQuery<T extends { version: number }>(queryKey: QueryKey, load: () => Promise<Answer<T>>) {
  return useQuery({
    queryKey,
    queryFn: async () => {
      const { data, response } = await load();
      return versioned(data, response);
    },
  });
}

interface VersionedChange<T, V> {
  /** The call, given what the page passes (the body and/or the ETag). */
  send: (variables: V) => Promise<Answer<T>>;
  /** Where the changed resource is cached (set from the answer), if anywhere. */
  itemKey?: (item: T) => QueryKey;
  /** What else is stale afterwards (the list, the unit's slots, …). */
  invalidates: QueryKey[];
}

/** A change (create, PUT with If-Match, retire with If-Match) answered with the changed resource and its ETag. */
export function useVersionedChange<T extends { version: number }, V>({ send, itemKey, invalidates }: VersionedChange<T, V>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (variables: V) => {
      const { data, response } = await send(variables);
      return versioned(data, response);
    },
    onSuccess: (result: Versioned<T>) => {
      if (itemKey) queryClient.setQueryData(itemKey(result.item), result);
      for (const queryKey of invalidates) void queryClient.invalidateQueries({ queryKey });
    },
  });
}

/** A call whose answer only makes `invalidates` stale (list items carry their version themselves). */
export function useInvalidatingMutation<V, R>(send: (variables: V) => Promise<R>, invalidates: QueryKey[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async () => {
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}

export const ifMatch = (etag: string) => ({ 'If-Match': etag });
