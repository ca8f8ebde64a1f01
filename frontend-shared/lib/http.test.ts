// The client set-up (./http.ts), tested through the generated client both apps use.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getSession, logout } from '../client/sdk.gen';
import { authenticatedSession, installFakeBackend } from '../test/fakeBackend';
import { ApiError, configureApiClient, setCsrfToken, setUnauthorizedHandler } from './http';

const session = authenticatedSession('citizen');
const logoutRedirect = '/';

describe('API client configuration', () => {
  beforeEach(() => {
    configureApiClient();
    setCsrfToken('csrf-123');
  });

  it('adds the CSRF header on POST', async () => {
    const backend = installFakeBackend({ logout: { redirect_to: logoutRedirect } });
    await logout({ throwOnError: true });
    expect(backend.requests).toHaveLength(1);
    expect(backend.requests[0]?.headers.get('X-CSRF-Token')).toBe('csrf-123');
  });

  it('does not add the CSRF header on GET', async () => {
    const backend = installFakeBackend({ getSession: session });
    await getSession({ throwOnError: true });
    expect(backend.requests[0]?.headers.get('X-CSRF-Token')).toBeNull();
  });

  it('sends same-origin credentials', async () => {
    const backend = installFakeBackend({ getSession: session });
    await getSession({ throwOnError: true });
    expect(backend.requests[0]?.credentials).toBe('same-origin');
  });

  it('turns a problem response into an ApiError and reports 401', async () => {
    installFakeBackend({
      logout: ({ problem }) => problem(401, { type: 'about:blank', title: 'Not logged in' }),
    });
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    const error = await logout({ throwOnError: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).problem?.title).toBe('Not logged in');
    expect(onUnauthorized).toHaveBeenCalledOnce();
    setUnauthorizedHandler(null);
  });

  it('does not report 401 from the session probe itself', async () => {
    installFakeBackend({ getSession: ({ problem }) => problem(401, { type: 'about:blank', title: 'x' }) });
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    await getSession({ throwOnError: true }).catch(() => undefined);
    expect(onUnauthorized).not.toHaveBeenCalled();
    setUnauthorizedHandler(null);
  });
});
