// Configures the generated API client once: same-origin cookies, the CSRF header on unsafe
// methods, typed errors carrying the HTTP status, and a hook for "the session has ended" (401).
// Both apps call `configureApiClient()` at start-up; `configureClient(target)` takes any client
// of the same shape (the tests use it).
import { client } from '../client/client.gen';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CSRF_HEADER = 'X-CSRF-Token';

/** An RFC 9457 problem document as the backend sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  errors?: { field: string; message: string; code?: string }[] | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    super(problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** The part of a @hey-api/client-fetch client that is configured here. */
export interface ConfigurableClient {
  setConfig(config: { baseUrl?: string; credentials?: RequestCredentials; throwOnError?: boolean }): unknown;
  interceptors: {
    request: { use(fn: (request: Request) => Request): unknown };
    response: { use(fn: (response: Response, request: Request) => Response): unknown };
    error: { use(fn: (error: unknown, response: Response | undefined) => unknown): unknown };
  };
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers the one handler called when an API call (other than the session probe) answers 401. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method.toUpperCase());
}

export function addCsrfHeader(request: Request): Request {
  if (isUnsafeMethod(request.method) && csrfToken) {
    request.headers.set(CSRF_HEADER, csrfToken);
  }
  return request;
}

function isSessionProbe(request: Request): boolean {
  return new URL(request.url).pathname === '/api/session';
}

function asProblem(body: unknown): Problem | undefined {
  return typeof body === 'object' && body !== null ? (body as Problem) : undefined;
}

const configured = new WeakSet<ConfigurableClient>();

export function configureClient(target: ConfigurableClient): void {
  if (configured.has(target)) return;
  configured.add(target);
  target.setConfig({
    // An absolute base keeps `new Request()` happy outside the browser (tests) too.
    baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
    credentials: 'same-origin',
    throwOnError: true,
  });
  target.interceptors.request.use(addCsrfHeader);
  target.interceptors.response.use((response, request) => {
    if (response.status === 401 && !isSessionProbe(request)) {
      onUnauthorized?.();
    }
    return response;
  });
  target.interceptors.error.use((error, response) => {
    if (error instanceof ApiError) return error;
    if (!response) return error instanceof Error ? error : new Error(String(error));
    return new ApiError(response.status, asProblem(error));
  });
}

/** Configures the generated client (../client) that both apps call the API with. */
export function configureApiClient(): void {
  configureClient(client);
}
