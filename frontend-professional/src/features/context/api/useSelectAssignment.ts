import { useMutation, useQueryClient } from '@tanstack/react-query';
import { selectStaffContext } from '@shared/client/sdk.gen';
import { STAFF_ME_QUERY_KEY } from '../../../session/useStaffMe';

/** PUT /api/staff/context: chooses the assignment (care unit) for this session. */
export function useSelectAssignment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (assignmentId: string) =>
      (await selectStaffContext({ body: { assignment_id: assignmentId }, throwOnError: true })).data,
    onSuccess: (me) => {
      queryClient.setQueryData(STAFF_ME_QUERY_KEY, me);
    },
  });
}
