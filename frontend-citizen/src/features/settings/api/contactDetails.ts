import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { changeContactDetails, getContactDetails } from '@shared/client/sdk.gen';
import type { ContactDetailsOut } from '@shared/client/types.gen';
import { citizenKeys } from '../../../lib/queryKeys';

export type ContactDetails = ContactDetailsOut;

export function useContactDetails() {
  return useQuery({
    queryKey: citizenKeys.contactDetails,
    queryFn: async () => (await getContactDetails({ throwOnError: true })).data,
  });
}

export interface ContactDetailsChange {
  email: string;
  mobile: string;
  /** The version shown (If-Match): a change made meanwhile elsewhere answers 412. */
  version: number;
}

export function useChangeContactDetails() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ email, mobile, version }: ContactDetailsChange) =>
      (
        await changeContactDetails({
          body: { email: email.trim() || null, mobile: mobile.trim() || null },
          headers: { 'If-Match': `"${version}"` },
          throwOnError: true,
        })
      ).data,
    onSuccess: (saved) => {
      queryClient.setQueryData(citizenKeys.contactDetails, saved);
    },
  });
}
