// This app's binding of the shared session logic (@shared/session/SessionProvider): its
// generated API calls, the SITHS login URL (always back to /pro/) and /pro/ as home.
import type { ReactNode } from 'react';
import { LOGGED_OUT, SessionProvider as SharedSessionProvider, useSessionContext } from '@shared/session/SessionProvider';
import type { SessionConfig, SessionContextValue } from '@shared/session/SessionProvider';
import { getSession, logout as postLogout } from '@shared/client/sdk.gen';
import { APP_ROOT, staffLoginUrl } from '../lib/navigation';
import type { SessionInfo } from '@shared/session/types';

export { SESSION_QUERY_KEY } from '@shared/session/SessionProvider';

type LoginArgs = [];

const config: SessionConfig<SessionInfo, LoginArgs> = {
  fetchSession: async () => (await getSession({ throwOnError: true })).data,
  postLogout: async () => (await postLogout({ throwOnError: true })).data.redirect_to,
  loginUrl: () => staffLoginUrl(APP_ROOT),
  appRoot: APP_ROOT,
  loggedOut: LOGGED_OUT,
};

export function SessionProvider({ children }: { children: ReactNode }) {
  return <SharedSessionProvider config={config}>{children}</SharedSessionProvider>;
}

export function useSession(): SessionContextValue<SessionInfo, LoginArgs> {
  return useSessionContext<SessionInfo, LoginArgs>();
}
