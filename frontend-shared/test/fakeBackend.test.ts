// The fake backend is keyed by the generated client's operation ids and typed by their generated
// request and response types. The `@ts-expect-error` lines are the proof that a fake answer of
// the wrong shape does not compile: each app's `tsc` (build and lint) checks this file, and
// fails if one of them stops being an error.
import { describe, expect, it } from 'vitest';
import { assignOffer, getSession, getStaffMe, removeAssignedOffer } from '../client/sdk.gen';
import { ApiError, configureApiClient, setCsrfToken } from '../lib/http';
import { authenticatedSession, installFakeBackend, validationProblem } from './fakeBackend';

describe('the fake backend, typed by operation', () => {
  it('answers an operation with its success body and records the request', async () => {
    configureApiClient();
    const backend = installFakeBackend({ getSession: authenticatedSession('staff') });
    const { data } = await getSession({ throwOnError: true });
    expect(data).toEqual({ authenticated: true, kind: 'staff', csrf_token: 'csrf-123', idle_timeout_seconds: 900 });
    expect(backend.calls('getSession')).toHaveLength(1);
  });

  it('gives a handler the path parameters and the typed body, and answers with reply or problem', async () => {
    configureApiClient();
    setCsrfToken('csrf-123');
    const backend = installFakeBackend({
      removeAssignedOffer: ({ params, reply, problem }) =>
        params.assignment_id === 'a-1' ? reply(204) : problem(404, { type: '/problems/not-found', title: 'Not found' }),
      assignOffer: ({ problem }) => problem(422, validationProblem([{ field: 'personnummer', code: 'check_character', message: 'bad' }])),
    });
    await removeAssignedOffer({ path: { assignment_id: 'a-1' }, throwOnError: true });
    const missing = await removeAssignedOffer({ path: { assignment_id: 'a-2' } }).catch((e: unknown) => e);
    expect((missing as ApiError).status).toBe(404);
    const refused = await assignOffer({ body: { personnummer: '20100330-9877', catalog_id: '1001' } }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).problem).toEqual({
      type: '/problems/validation',
      title: 'The request has invalid fields',
      status: 422,
      errors: [{ field: 'personnummer', code: 'check_character', message: 'bad' }],
    });
    expect(backend.calls('removeAssignedOffer').map((r) => new URL(r.url).pathname)).toEqual([
      '/api/staff/assignments/a-1/remove',
      '/api/staff/assignments/a-2/remove',
    ]);
  });

  it('answers 404 for an operation it was given no fake for', async () => {
    configureApiClient();
    installFakeBackend({});
    const error = await getStaffMe().catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(404);
  });

  it('refuses, at compile time, fakes of the wrong shape', () => {
    installFakeBackend({
      // @ts-expect-error: `kind` is 'citizen' | 'staff' | null
      getSession: { authenticated: true, kind: 'nurse', csrf_token: null, idle_timeout_seconds: 900 },
    });
    installFakeBackend({
      // @ts-expect-error: not an operation of the API
      getNothing: {},
    });
    installFakeBackend({
      // @ts-expect-error: assignOffer answers 201, not 200
      assignOffer: ({ reply }) => reply(200, {}),
    });
    installFakeBackend({
      // @ts-expect-error: an assigned offer without its fields
      assignOffer: ({ reply }) => reply(201, { id: 'a-1' }),
    });
    expect(true).toBe(true);
  });
});
