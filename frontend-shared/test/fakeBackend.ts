// A small fake of the backend at the network boundary: replaces global fetch and answers by
// "METHOD /path". Every request is recorded for assertions. Each app's src/test/fakeBackend.ts
// re-exports this with its own fixtures.
import { vi } from 'vitest';

export type FakeHandler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  const problem = status >= 400;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': problem ? 'application/problem+json' : 'application/json' },
  });
}

export function problem(status: number, title: string): Response {
  return json({ type: 'about:blank', title, status, detail: title }, status);
}

export interface FakeBackend {
  requests: Request[];
  on: (route: string, handler: FakeHandler | unknown) => void;
}

export function installFakeBackend(routes: Record<string, FakeHandler | unknown> = {}): FakeBackend {
  const table = new Map<string, FakeHandler | unknown>(Object.entries(routes));
  const requests: Request[] = [];
  const fakeFetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    const key = `${request.method} ${new URL(request.url).pathname}`;
    const handler = table.get(key);
    if (handler === undefined) return problem(404, `No fake for ${key}`);
    return typeof handler === 'function' ? (handler as FakeHandler)(request) : json(handler);
  });
  vi.stubGlobal('fetch', fakeFetch);
  return { requests, on: (route, handler) => table.set(route, handler) };
}

export const loggedOutSession = {
  authenticated: false,
  kind: null,
  csrf_token: null,
  idle_timeout_seconds: 900,
};

/** GET /api/session of someone logged in as `kind` ('citizen' or 'staff'). */
export function authenticatedSession<K extends string>(kind: K) {
  return {
    authenticated: true,
    kind,
    csrf_token: 'csrf-123',
    idle_timeout_seconds: 900,
  };
}
