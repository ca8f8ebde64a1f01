import { useQuery } from '@tanstack/react-query';
import { grantPermission, listPermissions, revokePermission } from '@shared/client/sdk.gen';
import type { PermissionIn } from '@shared/client/types.gen';
import { adminKeys } from '../../../lib/queryKeys';
import { useInvalidatingMutation } from './versioned';

export function usePermissions() {
  return useQuery({
    queryKey: adminKeys.permissions,
    queryFn: async () => (await listPermissions({ throwOnError: true })).data,
  });
}

export function useGrantPermission() {
  return useInvalidatingMutation(
    async (body: PermissionIn) => (await grantPermission({ body, throwOnError: true })).data,
    [adminKeys.permissions],
  );
}

export function useRevokePermission() {
  return useInvalidatingMutation(async (id: string) => {
    await revokePermission({ path: { permission_id: id }, throwOnError: true });
  }, [adminKeys.permissions]);
}
