// Session state shared by both apps: the /api/session probe, the CSRF token it carries, the
// "session has ended" handling (401 or idle timeout) and login/logout as full-page navigation.
// What differs between the apps (the generated API calls, the login URL, where logout lands)
// comes in as `config`.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { setCsrfToken, setUnauthorizedHandler } from '../lib/http';
import { pageNavigation } from '../lib/navigation';

export const SESSION_QUERY_KEY = ['session'] as const;

/** GET /api/session's answer once the backend has ended the session. */
export const LOGGED_OUT = {
  authenticated: false,
  kind: null,
  csrf_token: null,
  idle_timeout_seconds: 0,
} as const;

/** What this module reads of the backend's SessionInfo; each app passes its generated type. */
export interface BaseSession {
  authenticated: boolean;
  csrf_token: string | null;
}

export interface SessionContextValue<S extends BaseSession = BaseSession, LoginArgs extends unknown[] = unknown[]> {
  session: S | undefined;
  isLoading: boolean;
  isError: boolean;
  /** True after the backend ended the session (401 or idle timeout) until the next login. */
  expired: boolean;
  login: (...args: LoginArgs) => void;
  logout: () => Promise<void>;
}

export interface SessionConfig<S extends BaseSession, LoginArgs extends unknown[]> {
  /** GET /api/session through the app's generated client. */
  fetchSession: () => Promise<S>;
  /** POST /auth/logout through the app's generated client; resolves to the backend's redirect_to. */
  postLogout: () => Promise<string | null | undefined>;
  /** The URL of the app's login (BankID / SITHS) for login(...args). */
  loginUrl: (...args: LoginArgs) => string;
  /** Where logout goes when the backend names no redirect (the app's start page). */
  appRoot: string;
  /** The session to show once the backend has ended it. */
  loggedOut: S;
  /**
   * When the session ends (401, idle timeout), stay on the page (which then asks to log in and
   * comes back to it) instead of going to the start page. Default false.
   */
  stayOnExpiry?: boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider<S extends BaseSession, LoginArgs extends unknown[]>({
  config,
  children,
}: {
  config: SessionConfig<S, LoginArgs>;
  children: ReactNode;
}) {
  const { fetchSession, postLogout, loginUrl, appRoot, loggedOut, stayOnExpiry = false } = config;
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
    queryClient.setQueryData(SESSION_QUERY_KEY, loggedOut);
    setExpired(true);
    if (!stayOnExpiry) void navigate('/', { replace: true });
  }, [navigate, queryClient, loggedOut, stayOnExpiry]);

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

  const login = useCallback(
    (...args: LoginArgs) => {
      pageNavigation.assign(loginUrl(...args));
    },
    [loginUrl],
  );

  const logout = useCallback(async () => {
    loggingOut.current = true;
    let target = appRoot;
    try {
      target = (await postLogout()) || appRoot;
    } catch {
      // Already logged out or the server is unreachable: leave for the start page anyway.
    }
    setCsrfToken(null);
    queryClient.clear();
    pageNavigation.assign(target);
  }, [queryClient, postLogout, appRoot]);

  const showExpired = expired && session?.authenticated !== true;
  const value = useMemo<SessionContextValue<S, LoginArgs>>(
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
  return (
    <SessionContext.Provider value={value as unknown as SessionContextValue}>{children}</SessionContext.Provider>
  );
}

/**
 * The session of the surrounding <SessionProvider>. Each app wraps this with its own session
 * type (`useSession()` in src/session/SessionProvider.tsx); shared components use the base.
 */
export function useSessionContext<
  S extends BaseSession = BaseSession,
  LoginArgs extends unknown[] = unknown[],
>(): SessionContextValue<S, LoginArgs> {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value as unknown as SessionContextValue<S, LoginArgs>;
}
