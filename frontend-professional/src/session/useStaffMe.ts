import { useQuery } from '@tanstack/react-query';
import { getStaffMe } from '@shared/client/sdk.gen';
import { useSession } from './SessionProvider';
import { staffKeys } from '../lib/queryKeys';

export type StaffMe = Awaited<ReturnType<typeof getStaffMe<true>>>['data'];
export type Assignment = StaffMe['assignments'][number];

export const STAFF_ME_QUERY_KEY = staffKeys.me;

export function isStaffSession(session: ReturnType<typeof useSession>['session']): boolean {
  return session?.authenticated === true && session.kind === 'staff';
}

/** The logged-in staff member, their assignments, the chosen one and the modules permitted there. */
export function useStaffMe() {
  const { session } = useSession();
  return useQuery({
    queryKey: STAFF_ME_QUERY_KEY,
    queryFn: async () => (await getStaffMe({ throwOnError: true })).data,
    enabled: isStaffSession(session),
    staleTime: 60_000,
  });
}

export function staffName(me: Pick<StaffMe, 'given_name' | 'family_name'>): string {
  return `${me.given_name} ${me.family_name}`;
}

export function selectedAssignment(me: StaffMe): Assignment | undefined {
  return me.assignments.find((a) => a.assignment_id === me.selected_assignment_id);
}
