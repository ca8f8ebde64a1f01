import type { getSession } from '../client/sdk.gen';

/** GET /api/session, derived from the generated client so that a renamed schema does not break the apps. */
export type SessionInfo = Awaited<ReturnType<typeof getSession<true>>>['data'];
