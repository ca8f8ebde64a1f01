// A small fake of the backend at the network boundary: replaces global fetch and answers by
// "METHOD /path". Every request is recorded for assertions.
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

export const staffSession = {
  authenticated: true,
  kind: 'staff',
  csrf_token: 'csrf-123',
  idle_timeout_seconds: 900,
};

export const assignments = [
  {
    assignment_id: 'uppdrag-1',
    care_unit_hsa_id: 'SE2321000016-1001',
    care_unit_name: 'Vårdcentralen Kungsholmen',
    care_giver_name: 'Region Stockholm',
    purpose: 'Vård och behandling',
  },
  {
    assignment_id: 'uppdrag-2',
    care_unit_hsa_id: 'SE2321000016-2002',
    care_unit_name: 'STD-mottagningen Södersjukhuset',
    care_giver_name: 'Region Stockholm',
    purpose: 'Vård och behandling',
  },
];

export const staffMeWithoutContext = {
  hsa_id: 'SE2321000016-9999',
  given_name: 'Sara',
  family_name: 'Svensson',
  title: 'Sjuksköterska',
  assignments,
  selected_assignment_id: null,
  modules: [],
};

export const staffMeAtUnit2 = {
  ...staffMeWithoutContext,
  selected_assignment_id: 'uppdrag-2',
  modules: [
    { module: 'worklist', care_unit_hsa_id: 'SE2321000016-2002' },
    { module: 'sampling', care_unit_hsa_id: 'SE2321000016-2002' },
    { module: 'export', care_unit_hsa_id: 'SE2321000016-2002' },
  ],
};
