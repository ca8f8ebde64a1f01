// Integration clients (the machines of the integration API): list, create, change, retire and
// rotate the secret. The secret comes only in the answers of create and rotate, and it is split
// off here, before anything reaches TanStack Query: the query cache and the mutation cache only
// ever hold the client without it. The page gets the secret through `onSecret` and keeps it in
// component state, which is gone when the page is left.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createIntegrationClient,
  getIntegrationClient,
  listIntegrationClients,
  retireIntegrationClient,
  rotateIntegrationClientSecret,
  updateIntegrationClient,
} from '@shared/client/sdk.gen';
import type { ClientCreate, ClientSettingsIn, IntegrationClientOut } from '@shared/client/types.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { ifMatch, useVersionedChange, useVersionedQuery, versioned } from './versioned';

export type IntegrationClient = Omit<IntegrationClientOut, 'client_secret'>;
export type IntegrationScope = ClientSettingsIn['scopes'][number];

/** What the administrator must copy now: shown once, never cached or stored. */
export interface OneTimeSecret {
  clientId: string;
  name: string;
  secret: string;
}

export const INTEGRATION_SCOPES: readonly IntegrationScope[] = ['orders:read', 'orders:write', 'results:write', 'results:read'];

/** The client without its secret, and the secret (only in create's and rotate's answers). */
function splitSecret(data: IntegrationClientOut): { client: IntegrationClient; secret: string | null } {
  const { client_secret: secret, ...client } = data;
  return { client, secret: secret ?? null };
}

/** A generated call's answer with the secret removed (and handed to `onSecret`, if any). */
async function withoutSecret(
  call: Promise<{ data: IntegrationClientOut; response: Response }>,
  onSecret?: (secret: OneTimeSecret) => void,
): Promise<{ data: IntegrationClient; response: Response }> {
  const { data, response } = await call;
  const { client, secret } = splitSecret(data);
  if (secret && onSecret) onSecret({ clientId: client.client_id, name: client.name, secret });
  return { data: client, response };
}

export function useIntegrationClients() {
  return useQuery({
    queryKey: adminKeys.integrationClients,
    queryFn: async (): Promise<IntegrationClient[]> =>
      (await listIntegrationClients({ throwOnError: true })).data.map((c) => splitSecret(c).client),
  });
}

export function useIntegrationClient(clientId: string) {
  return useVersionedQuery(adminKeys.integrationClient(clientId), () =>
    withoutSecret(getIntegrationClient({ path: { client_id: clientId }, throwOnError: true })),
  );
}

/** Creates a client; its secret goes to `onSecret` only (the page's state), the client to the cache. */
export function useCreateIntegrationClient(onSecret: (secret: OneTimeSecret) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ClientCreate) => {
      const { data, response } = await withoutSecret(createIntegrationClient({ body, throwOnError: true }), onSecret);
      return versioned(data, response);
    },
    onSuccess: (result) => {
      queryClient.setQueryData(adminKeys.integrationClient(result.item.client_id), result);
      void queryClient.invalidateQueries({ queryKey: adminKeys.integrationClients });
    },
  });
}

export function useUpdateIntegrationClient(clientId: string) {
  return useVersionedChange({
    send: ({ body, etag }: { body: ClientSettingsIn; etag: string }) =>
      withoutSecret(
        updateIntegrationClient({ path: { client_id: clientId }, headers: ifMatch(etag), body, throwOnError: true }),
      ),
    itemKey: () => adminKeys.integrationClient(clientId),
    invalidates: [adminKeys.integrationClients],
  });
}

/** Retiring is not deleting: the client gets no more tokens and its tokens stop working at once. */
export function useRetireIntegrationClient(clientId: string) {
  return useVersionedChange({
    send: (etag: string) =>
      withoutSecret(retireIntegrationClient({ path: { client_id: clientId }, headers: ifMatch(etag), throwOnError: true })),
    itemKey: () => adminKeys.integrationClient(clientId),
    invalidates: [adminKeys.integrationClients],
  });
}

/** A new secret (to `onSecret` only); the old one stops working at once. The new version is cached. */
export function useRotateIntegrationClientSecret(clientId: string, onSecret: (secret: OneTimeSecret) => void) {
  return useVersionedChange({
    send: (etag: string) =>
      withoutSecret(
        rotateIntegrationClientSecret({ path: { client_id: clientId }, headers: ifMatch(etag), throwOnError: true }),
        onSecret,
      ),
    itemKey: () => adminKeys.integrationClient(clientId),
    invalidates: [adminKeys.integrationClients],
  });
}
