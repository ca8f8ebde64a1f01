import { useMutation, useQueryClient } from '@tanstack/react-query';
import { launchFromJournal } from '@shared/client/sdk.gen';
import { STAFF_ME_QUERY_KEY } from '../../../session/useStaffMe';

/**
 * POST /api/staff/launch: the server checks the journal system's token (once, within minutes),
 * selects the staff member's assignment at the link's care unit and names the patient.
 */
export function useLaunchFromJournal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (token: string) => (await launchFromJournal({ body: { token }, throwOnError: true })).data,
    onSuccess: async (data) => {
      // The session now works at the link's care unit. A /me request still in flight from
      // before the launch would overwrite that with the old context: cancel it first.
      await queryClient.cancelQueries({ queryKey: STAFF_ME_QUERY_KEY });
      queryClient.setQueryData(STAFF_ME_QUERY_KEY, data.me);
    },
  });
}
