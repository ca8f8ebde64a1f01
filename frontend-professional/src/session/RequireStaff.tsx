import type { ReactNode } from 'react';
import { ErrorAlert } from '@shared/components/ErrorAlert';
import { Loading } from '@shared/components/Loading';
import { LoginPage } from '../components/LoginPage';
import { useSession } from './SessionProvider';
import { isStaffSession } from './useStaffMe';

/** Renders its children for a logged-in staff member, otherwise the login page. */
export function RequireStaff({ children }: { children: ReactNode }) {
  const { session, isLoading, isError } = useSession();
  if (isLoading) return <Loading />;
  if (isError) return <ErrorAlert error={null} onRetry={() => window.location.reload()} />;
  if (!isStaffSession(session)) return <LoginPage />;
  return <>{children}</>;
}
