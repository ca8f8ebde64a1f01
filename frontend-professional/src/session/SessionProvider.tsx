import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { getSession, logout as postLogout } from '../client/sdk.gen';
import { setCsrfToken, setUnauthorizedHandler } from '../lib/http';
import { APP_ROOT, pageNavigation, staffLoginUrl } from '../lib/navigation';
import { LOGGED_OUT } from './types';
import type { SessionInfo } from './types';

export const SESSION_QUERY_KEY = ['session'] as const;

interface SessionContextValue {
  session: SessionInfo | undefined;
  isLoading: boolean;
  isError: boolean;
  /** True after the backend ended the session (401 or idle timeout) until the next login. */
  expired: boolean;
  login: () => void;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

async function fetchSession(): Promise<SessionInfo> {
  const { data } = await getSession({ throwOnError: true });
  return data;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [expired, setExpired] = useState(false);
  const loggingOut = useRef(false);
  const wasAuthenticated = useRef(false);

  const query = useQuery({ queryKey: SESSION_QUERY_KEY, queryFn: fetchSession, staleTime: 30_000 });
  const session = query.data;

  const endSession = useCallback(() => {
    setCsrfToken(null);
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_QUERY_KEY[0] });
    queryClient.setQueryData(SESSION_QUERY_KEY, LOGGED_OUT);
    setExpired(true);
    void navigate('/', { replace: true });
  }, [navigate, queryClient]);

  useEffect(() => {
    setCsrfToken(session?.csrf_token ?? null);
    if (!session) return;
    if (session.authenticated) {
      wasAuthenticated.current = true;
    } else if (wasAuthenticated.current && !loggingOut.current) {
      // A refetch found the session gone (e.g. idle timeout on the server).
      wasAuthenticated.current = false;
      endSession();
    }
  }, [session, endSession]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!loggingOut.current) endSession();
    });
    return () => setUnauthorizedHandler(null);
  }, [endSession]);

  const login = useCallback(() => {
    pageNavigation.assign(staffLoginUrl(APP_ROOT));
  }, []);

  const logout = useCallback(async () => {
    loggingOut.current = true;
    let target = APP_ROOT;
    try {
      const { data } = await postLogout({ throwOnError: true });
      target = data.redirect_to || APP_ROOT;
    } catch {
      // Already logged out or the server is unreachable: leave for the start page anyway.
    }
    setCsrfToken(null);
    queryClient.clear();
    pageNavigation.assign(target);
  }, [queryClient]);

  const showExpired = expired && session?.authenticated !== true;
  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      isLoading: query.isPending,
      isError: query.isError,
      expired: showExpired,
      login,
      logout,
    }),
    [session, query.isPending, query.isError, showExpired, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
