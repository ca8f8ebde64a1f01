// A small fake of the backend at the network boundary, typed by operation: it replaces global
// fetch and answers each request with the handler of the generated client's operation it matches
// (`getStaffMe`, `assignOffer`, … from client/operations.gen.ts, made by `npm run
// generate-client`). A handler is either the body of the operation's success answer or a function
// that builds its answer with `reply(status, body)` (status and body typed by the operation's
// generated response types) or `problem(status, problem)`; a fake answer of the wrong shape does
// not compile. Every request is recorded for assertions. Each app's src/test/fakeBackend.ts
// re-exports this with its own fixtures.
import { vi } from 'vitest';
import { operations } from '../client/operations.gen';
import type { OperationId, OperationTypes } from '../client/operations.gen';
import type { FieldError, Problem, SessionInfo } from '../client/types.gen';

export type { OperationId };

type Responses<K extends OperationId> = OperationTypes[K]['responses'];
type SuccessStatus<K extends OperationId> = keyof Responses<K> & number;
/** The body of the operation's success answer (any of its 2xx; a plain fake body answers with the first). */
export type SuccessBody<K extends OperationId> = Responses<K>[SuccessStatus<K>];
/** The request body the generated client sends for the operation. */
export type RequestBody<K extends OperationId> = OperationTypes[K]['data'] extends { body?: infer B } ? B : never;
type ReplyArgs<B> = [B] extends [void] ? [body?: undefined, headers?: HeadersInit] : [body: B, headers?: HeadersInit];

/** A problem document; its `status` is the answer's. */
export type ProblemBody = Omit<Problem, 'status'> & { status?: number };

declare const replyOf: unique symbol;
/** An answer built for operation K (by `reply`/`problem` of K's handler only). */
export type Reply<K extends OperationId> = Response & { readonly [replyOf]: K };

export interface FakeCall<K extends OperationId> {
  request: Request;
  /** The path parameters, e.g. `{ code: 'TESTLAB' }` for /api/admin/laboratories/{code}. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request's JSON body as the generated client types it. */
  body: () => Promise<RequestBody<K>>;
  reply: <S extends SuccessStatus<K>>(status: S, ...args: ReplyArgs<Responses<K>[S]>) => Reply<K>;
  problem: (status: number, body: ProblemBody, headers?: HeadersInit) => Reply<K>;
}

export type FakeHandler<K extends OperationId> = (call: FakeCall<K>) => Reply<K> | Promise<Reply<K>>;
/** The success body, answered with the operation's (first) 2xx status, or a handler. */
export type FakeRoute<K extends OperationId> = SuccessBody<K> | FakeHandler<K>;
export type FakeRoutes = { [K in OperationId]?: FakeRoute<K> };

export interface FakeBackend {
  requests: Request[];
  /** The requests that reached `operation`, in order. */
  calls: (operation: OperationId) => Request[];
  on: <K extends OperationId>(operation: K, route: FakeRoute<K>) => void;
}

function respond(status: number, body: unknown, headers?: HeadersInit): Response {
  const all = new Headers(headers);
  if (body === undefined || status === 204) return new Response(null, { status, headers: all });
  if (!all.has('Content-Type')) {
    all.set('Content-Type', status >= 400 ? 'application/problem+json' : 'application/json');
  }
  return new Response(JSON.stringify(body), { status, headers: all });
}

const matchers = (Object.keys(operations) as OperationId[])
  .map((id) => {
    const { method, path } = operations[id];
    const names: string[] = [];
    const pattern = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { id, method: method as string, regex: new RegExp(`^${pattern}$`), names };
  })
  // A literal segment wins over a parameter (fewer parameters first).
  .sort((a, b) => a.names.length - b.names.length);

export function installFakeBackend(routes: FakeRoutes = {}): FakeBackend {
  const table = new Map<OperationId, unknown>(Object.entries(routes) as [OperationId, unknown][]);
  const requests: Request[] = [];
  const byOperation = new Map<Request, OperationId>();
  const fakeFetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    const url = new URL(request.url);
    for (const { id, method, regex, names } of matchers) {
      const match = method === request.method ? regex.exec(url.pathname) : null;
      if (!match) continue;
      byOperation.set(request, id);
      const route = table.get(id);
      if (route === undefined) break;
      if (typeof route !== 'function') return respond(operations[id].status, route);
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      const call: FakeCall<OperationId> = {
        request,
        params,
        query: url.searchParams,
        body: () => request.clone().json(),
        reply: ((status: number, body?: unknown, headers?: HeadersInit) => respond(status, body, headers)) as never,
        problem: (status, body, headers) => respond(status, { ...body, status }, headers) as Reply<OperationId>,
      };
      return (route as FakeHandler<OperationId>)(call);
    }
    const key = `${request.method} ${url.pathname}`;
    return respond(404, { type: 'about:blank', title: `No fake for ${key}`, status: 404, detail: key });
  });
  vi.stubGlobal('fetch', fakeFetch);
  return {
    requests,
    calls: (operation) => requests.filter((request) => byOperation.get(request) === operation),
    on: (operation, route) => table.set(operation, route),
  };
}

/** A 422 problem with the server's field errors. */
export function validationProblem(errors: FieldError[]): ProblemBody {
  return { type: '/problems/validation', title: 'The request has invalid fields', errors };
}

export const loggedOutSession: SessionInfo = {
  authenticated: false,
  kind: null,
  csrf_token: null,
  idle_timeout_seconds: 900,
};

/** GET /api/session of someone logged in as `kind`. */
export function authenticatedSession(kind: 'citizen' | 'staff'): SessionInfo {
  return {
    authenticated: true,
    kind,
    csrf_token: 'csrf-123',
    idle_timeout_seconds: 900,
  };
}
