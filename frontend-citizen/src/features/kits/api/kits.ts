import { useMutation, useQueryClient } from '@tanstack/react-query';
import { registerKit } from '@shared/client/sdk.gen';
import type { KitIn, OrderDetails } from '@shared/client/types.gen';
import { citizenKeys } from '../../../lib/queryKeys';

export type { KitIn, OrderDetails };

export function useRegisterKit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: KitIn; idempotencyKey: string }) =>
      (await registerKit({ body, headers: { 'Idempotency-Key': idempotencyKey }, throwOnError: true }))
        .data,
    onSuccess: (order) => {
      queryClient.setQueryData(citizenKeys.order(order.order_id), order);
      void queryClient.invalidateQueries({ queryKey: citizenKeys.orderLists });
    },
  });
}
