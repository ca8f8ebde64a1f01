// This app's binding of the shared session logic (@shared/session/SessionProvider): its
// generated API calls, the BankID login URL (back to `returnTo` afterwards) and '/' as home.
import type { ReactNode } from 'react';
import { LOGGED_OUT, SessionProvider as SharedSessionProvider, useSessionContext } from '@shared/session/SessionProvider';
import type { SessionConfig, SessionContextValue } from '@shared/session/SessionProvider';
import { getSession, logout as postLogout } from '@shared/client/sdk.gen';
import { citizenLoginUrl } from '../lib/navigation';
import { clearAllDrafts } from '../lib/orderDrafts';
import type { SessionInfo } from '@shared/session/types';

export { SESSION_QUERY_KEY } from '@shared/session/SessionProvider';

type LoginArgs = [returnTo: string];

/** Where logging out lands: a page that confirms it. */
export const LOGGED_OUT_PAGE = '/utloggad';

const config: SessionConfig<SessionInfo, LoginArgs> = {
  fetchSession: async () => (await getSession({ throwOnError: true })).data,
  postLogout: async () => {
    // Nothing the citizen typed stays in the tab after logging out.
    clearAllDrafts();
    await postLogout({ throwOnError: true });
    return LOGGED_OUT_PAGE;
  },
  loginUrl: citizenLoginUrl,
  appRoot: '/',
  loggedOut: LOGGED_OUT,
  // An ended session asks to log in on the same page and comes back to it (an order being
  // filled in is kept in the tab meanwhile).
  stayOnExpiry: true,
};

export function SessionProvider({ children }: { children: ReactNode }) {
  return <SharedSessionProvider config={config}>{children}</SharedSessionProvider>;
}

export function useSession(): SessionContextValue<SessionInfo, LoginArgs> {
  return useSessionContext<SessionInfo, LoginArgs>();
}
