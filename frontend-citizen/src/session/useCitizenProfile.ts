import { useQuery } from '@tanstack/react-query';
import { getCitizenProfile } from '@shared/client/sdk.gen';
import { citizenKeys } from '../lib/queryKeys';
import { useSession } from './SessionProvider';

export type CitizenProfile = Awaited<ReturnType<typeof getCitizenProfile<true>>>['data'];

/** The logged-in citizen's person data; part of the session, so used by the header and features. */
export function useCitizenProfile() {
  const { session } = useSession();
  const enabled = session?.authenticated === true && session.kind === 'citizen';
  return useQuery({
    queryKey: citizenKeys.profile,
    queryFn: async () => (await getCitizenProfile({ throwOnError: true })).data,
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function fullName(profile: Pick<CitizenProfile, 'given_name' | 'family_name'>): string {
  return `${profile.given_name} ${profile.family_name}`;
}
